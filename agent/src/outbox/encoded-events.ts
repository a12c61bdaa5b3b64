// Events kept and sent as the bytes they were sealed as. A protobuf message on the wire is
// its fields one after another, so an EventBatch is the encoding of its sequence and drop
// counts followed by one `events` field (tag, length, Event) per event, in any order. A
// record's plaintext is such a batch with events only: split into its fields, each event can
// wait in memory as a few bytes instead of a tree of objects (which the garbage collector
// would carry into the old generation while the batch waits for its ack), and a batch to
// send is those bytes behind a new head — no event decoded, none encoded twice.
import { Event, EventBatch } from '@wardwatch/proto';

/** EventBatch.events' field number (wardwatch/agent/v1/agent.proto); the tests check it against the generated code. */
const EVENTS_FIELD = 2;
const LENGTH_DELIMITED = 2;
const EVENTS_TAG = (EVENTS_FIELD << 3) | LENGTH_DELIMITED;

/** An event as its whole `events` field of an EventBatch. */
export type EventField = Uint8Array;

/** The `events` fields of an encoded EventBatch holding events only (a record's plaintext); throws on anything else. */
export function eventFieldsOf(batch: Uint8Array): EventField[] {
  const fields: EventField[] = [];
  let at = 0;
  while (at < batch.length) {
    const start = at;
    const tag = readVarint(batch, at);
    if (tag.value !== EVENTS_TAG) throw new Error(`not an events field: tag ${tag.value} at byte ${start}`);
    const length = readVarint(batch, tag.next);
    at = length.next + length.value;
    if (at > batch.length) throw new Error(`an event runs past the end (byte ${start})`);
    fields.push(batch.subarray(start, at));
  }
  return fields;
}

/** One encoded Event as its `events` field (a version-1 record holds a bare Event). */
export function eventFieldOf(event: Uint8Array): EventField {
  return messageField(EVENTS_FIELD, event);
}

/** An encoded message as field `fieldNumber` of the message that holds it: tag, length, bytes. */
export function messageField(fieldNumber: number, message: Uint8Array): Uint8Array {
  const prefix = [...varint((fieldNumber << 3) | LENGTH_DELIMITED), ...varint(message.length)];
  const field = new Uint8Array(prefix.length + message.length);
  field.set(prefix);
  field.set(message, prefix.length);
  return field;
}

/** The EventBatch of `sequence` and `dropped` carrying `fields`, encoded. */
export function encodeBatch(sequence: number, dropped: Record<string, number>, fields: readonly EventField[]): Buffer {
  const head = EventBatch.encode({ sequence, events: [], dropped }).finish();
  return Buffer.concat([head, ...fields]);
}

/** The event of one field (to count a drop by its category, or for a test). */
export function decodeEventField(field: EventField): Event {
  const length = readVarint(field, readVarint(field, 0).next);
  return Event.decode(field.subarray(length.next, length.next + length.value));
}

function readVarint(bytes: Uint8Array, at: number): { value: number; next: number } {
  let value = 0;
  for (let shift = 0, i = at; i < bytes.length && shift < 35; shift += 7, i++) {
    value += (bytes[i] & 0x7f) * 2 ** shift;
    if ((bytes[i] & 0x80) === 0) return { value, next: i + 1 };
  }
  throw new Error(`a bad length at byte ${at}`);
}

function varint(value: number): number[] {
  const out: number[] = [];
  for (; value >= 0x80; value = Math.floor(value / 128)) out.push((value % 128) | 0x80);
  out.push(value);
  return out;
}
