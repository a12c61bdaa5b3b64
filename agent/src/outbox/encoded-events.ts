// Events kept and sent as the bytes they were sealed as. A protobuf message on the wire is
// its fields one after another, so an EventBatch is the encoding of its sequence and drop
// counts followed by one `events` field (tag, length, Event) per event, in any order. A
// record's plaintext is such a batch with events only: split into its fields, each event can
// wait in memory as a few bytes instead of a tree of objects (which the garbage collector
// would carry into the old generation while the batch waits for its ack), and a batch to
// send is those bytes behind a new head — no event decoded, none encoded twice.
import { BinaryReader, BinaryWriter, Event, EventBatch, WireType } from '@wardwatch/proto';

/** EventBatch.events' field number (wardwatch/agent/v1/agent.proto); the tests check it against the generated code. */
const EVENTS_FIELD = 2;

/** An event as its whole `events` field of an EventBatch. */
export type EventField = Uint8Array;

/** The `events` fields of an encoded EventBatch holding events only (a record's plaintext); throws on anything else. */
export function eventFieldsOf(batch: Uint8Array): EventField[] {
  const fields: EventField[] = [];
  const reader = new BinaryReader(batch);
  while (reader.pos < reader.len) {
    const start = reader.pos;
    const [field, wireType] = reader.tag();
    if (field !== EVENTS_FIELD || wireType !== WireType.LengthDelimited)
      throw new Error(`not an events field: field ${field}, wire type ${wireType} at byte ${start}`);
    try {
      reader.bytes();
    } catch {
      throw new Error(`an event runs past the end (byte ${start})`);
    }
    fields.push(batch.subarray(start, reader.pos));
  }
  return fields;
}

/** One encoded Event as its `events` field (a version-1 record holds a bare Event). */
export function eventFieldOf(event: Uint8Array): EventField {
  return messageField(EVENTS_FIELD, event);
}

/** An encoded message as field `fieldNumber` of the message that holds it: tag, length, bytes. */
export function messageField(fieldNumber: number, message: Uint8Array): Uint8Array {
  return new BinaryWriter().tag(fieldNumber, WireType.LengthDelimited).bytes(message).finish();
}

/** The EventBatch of `sequence` and `dropped` carrying `fields`, encoded. */
export function encodeBatch(sequence: number, dropped: Record<string, number>, fields: readonly EventField[]): Buffer {
  const head = EventBatch.encode({ sequence, events: [], dropped }).finish();
  return Buffer.concat([head, ...fields]);
}

/** The event of one field (to count a drop by its category, or for a test). */
export function decodeEventField(field: EventField): Event {
  const reader = new BinaryReader(field);
  reader.tag();
  return Event.decode(reader.bytes());
}
