// One outbox record, as sealed on disk: version, priority class, record id
// (the per-agent sequence), the time it was stored and the event's protobuf bytes.
import { Event } from '@wardwatch/proto';
import { priorities, type Priority } from './event-priority';

const VERSION = 1;
const HEADER_BYTES = 1 + 1 + 8 + 8;

export interface RecordContent {
  id: number;
  priority: Priority;
  storedAtMs: number;
  event: Event;
}

export function encodeRecord(content: RecordContent): Buffer {
  const body = Event.encode(content.event).finish();
  const plain = Buffer.alloc(HEADER_BYTES + body.length);
  plain.writeUInt8(VERSION, 0);
  plain.writeUInt8(priorities.indexOf(content.priority), 1);
  plain.writeBigUInt64LE(BigInt(content.id), 2);
  plain.writeDoubleLE(content.storedAtMs, 10);
  plain.set(body, HEADER_BYTES);
  return plain;
}

/** The header without the event (recovery needs no more); null when it is not a record of this version. */
export function decodeHeader(plain: Buffer): Omit<RecordContent, 'event'> | null {
  if (plain.length < HEADER_BYTES || plain.readUInt8(0) !== VERSION) return null;
  const priority = priorities[plain.readUInt8(1)];
  if (!priority) return null;
  return { id: Number(plain.readBigUInt64LE(2)), priority, storedAtMs: plain.readDoubleLE(10) };
}

export function decodeEvent(plain: Buffer): Event | null {
  try {
    return Event.decode(plain.subarray(HEADER_BYTES));
  } catch {
    return null;
  }
}
