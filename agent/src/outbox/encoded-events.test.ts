import { Event, EventBatch } from '@wardwatch/proto';
import { describe, expect, it } from 'vitest';
import { decodeEventField, encodeBatch, eventFieldOf, eventFieldsOf } from './encoded-events';
import { fileEvent, loginEvent } from './test-events.fixture';

const events = [fileEvent('a', 'phi'), loginEvent('b'), { ...fileEvent('c'), sequence: 300 }];
/** Long enough that its length takes two varint bytes. */
const long = { ...fileEvent('d'), user: 'x'.repeat(400) };

describe('events kept as their encoded fields', () => {
  it("splits a record's batch into one field per event, each decoding to its event", () => {
    const plain = EventBatch.encode({ sequence: 0, events: [...events, long], dropped: {} }).finish();
    const fields = eventFieldsOf(plain);
    expect(fields.map(decodeEventField)).toEqual([...events, long]);
    expect(Buffer.concat(fields).equals(Buffer.from(plain))).toBe(true);
  });

  it('sends fields behind a new head: the generated code decodes the same batch', () => {
    const fields = eventFieldsOf(EventBatch.encode({ sequence: 0, events, dropped: {} }).finish());
    const bytes = encodeBatch(42, { 'queue_full.low.file': 3 }, fields.slice(1));
    expect(EventBatch.decode(bytes)).toEqual({
      sequence: 42,
      events: events.slice(1),
      dropped: { 'queue_full.low.file': 3 },
    });
  });

  it('wraps a bare Event (a version-1 record) as a field', () => {
    const field = eventFieldOf(Event.encode(long).finish());
    expect(decodeEventField(field)).toEqual(long);
    expect(EventBatch.decode(encodeBatch(1, {}, [field])).events).toEqual([long]);
  });

  it('refuses bytes that are not events only', () => {
    const withSequence = EventBatch.encode({ sequence: 7, events, dropped: {} }).finish();
    expect(() => eventFieldsOf(withSequence)).toThrow(/not an events field/);
    const cut = EventBatch.encode({ sequence: 0, events, dropped: {} }).finish().subarray(0, 30);
    expect(() => eventFieldsOf(cut)).toThrow(/past the end/);
  });
});
