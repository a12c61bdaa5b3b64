// How the events of one append are cut into records: as many as fit in one record each.
import { Event, EventBatch } from '@wardwatch/proto';
import { groupHeaderBytes, MAX_GROUP_EVENTS } from './outbox-record';
import { SEAL_OVERHEAD } from './record-sealer';
import type { Priority } from './event-priority';

/** One event to append, with its class and when the outbox took it. */
export interface AppendEntry {
  event: Event;
  priority: Priority;
  storedAtMs: number;
}

/** A record too long for this is not one (a damaged length prefix): recovery cuts it off. */
export const MAX_RECORD_BYTES = 4 * 1_048_576;

/** Events that go into one record. */
interface Group {
  entries: readonly AppendEntry[];
  /** EventBatch of the entries' events, sequences set. */
  plain: Uint8Array;
}

/**
 * The events from `index` that go into one record with ids from `first`: all that are
 * left, or (when they would make a record too long) as many as fit; null when the
 * event at `index` does not fit in a record on its own.
 */
export function nextGroup(entries: readonly AppendEntry[], index: number, first: number): Group | null {
  const end = Math.min(entries.length, index + MAX_GROUP_EVENTS);
  const all = index === 0 && end === entries.length ? entries : entries.slice(index, end);
  const plain = encodeEvents(all, first);
  if (fits(all.length, plain.length)) return { entries: all, plain };
  // Rare: too much for one record. Take events while they fit, measured one by one.
  let bytes = 0;
  let count = 0;
  for (; count < all.length; count++) {
    const size = Event.encode({ ...all[count].event, sequence: first + count }).finish().length;
    // Field tag and a length prefix of up to 5 bytes around each event in the EventBatch.
    if (!fits(count + 1, bytes + size + 6)) break;
    bytes += size + 6;
  }
  if (count === 0) return null;
  const taken = all.slice(0, count);
  return { entries: taken, plain: encodeEvents(taken, first) };
}

/** The EventBatch of `entries`' events, numbered from `first`. */
function encodeEvents(entries: readonly AppendEntry[], first: number): Uint8Array {
  const events = entries.map(({ event }, k) => ({ ...event, sequence: first + k }));
  return EventBatch.encode({ sequence: 0, events, dropped: {} }).finish();
}

/** Whether a record of `count` events whose EventBatch has `plainBytes` may be written (recovery would cut a longer one). */
function fits(count: number, plainBytes: number): boolean {
  return groupHeaderBytes(count) + SEAL_OVERHEAD + plainBytes <= MAX_RECORD_BYTES;
}
