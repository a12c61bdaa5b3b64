import { describe, expect, it } from 'vitest';
import { MemoryOutbox } from './memory-outbox';
import { fileEvent, loginEvent } from './test-events.fixture';

const ids = (batch: { events: { id: string }[] } | null) => batch?.events.map((e) => e.id);

describe('MemoryOutbox', () => {
  it('batches with growing sequence numbers and forgets only acknowledged batches', () => {
    const outbox = new MemoryOutbox({ capacity: 100, firstSequence: 10 });
    for (const id of ['a', 'b', 'c']) outbox.push(fileEvent(id));
    const first = outbox.takeBatch(2);
    const second = outbox.takeBatch(2);
    expect([first?.sequence, second?.sequence]).toEqual([10, 11]);
    expect([ids(first), ids(second)]).toEqual([['a', 'b'], ['c']]);
    expect(outbox.takeBatch(2)).toBeNull();
    expect(outbox.ack(10)).toBe(2);
    expect(outbox.stats()).toMatchObject({ queued: 1, sent: 2, inFlightBatches: 1 });
    expect(outbox.ack(11)).toBe(1);
    expect(outbox.stats()).toMatchObject({ queued: 0, sent: 3, inFlightBatches: 0 });
  });

  it('numbers events from 1 as they are pushed; an evicted event leaves a counted gap', () => {
    const outbox = new MemoryOutbox({ capacity: 2, firstSequence: 1 });
    for (const id of ['a', 'b', 'c']) outbox.push(fileEvent(id)); // c evicts a
    outbox.push(loginEvent('security')); // evicts b
    const batch = outbox.takeBatch(10)!;
    expect(batch.events.map((e) => [e.id, e.sequence])).toEqual([
      ['security', 4],
      ['c', 3],
    ]);
    expect(outbox.stats()).toMatchObject({ lastSequence: 4, dropped: 2 });
  });

  it('resends unacknowledged events after the stream breaks, before newer ones', () => {
    const outbox = new MemoryOutbox({ capacity: 100, firstSequence: 1 });
    outbox.push(fileEvent('a'));
    outbox.push(fileEvent('b'));
    outbox.takeBatch(1);
    outbox.takeBatch(1);
    outbox.push(fileEvent('c'));
    outbox.requeueInFlight();
    const resent = outbox.takeBatch(10);
    expect(resent?.sequence).toBe(3);
    expect(ids(resent)).toEqual(['a', 'b', 'c']);
    expect(outbox.ack(2)).toBe(0); // an old sequence releases nothing now
    expect(outbox.ack(3)).toBe(3);
  });

  it('acknowledges cumulatively', () => {
    const outbox = new MemoryOutbox({ capacity: 100, firstSequence: 1 });
    for (const id of ['a', 'b', 'c']) {
      outbox.push(fileEvent(id));
      outbox.takeBatch(1);
    }
    expect(outbox.ack(3)).toBe(3);
    expect(outbox.stats().queued).toBe(0);
  });

  it('stays within its capacity, dropping low-value events before security events, and counts every drop', () => {
    const outbox = new MemoryOutbox({ capacity: 3, firstSequence: 1 });
    outbox.push(fileEvent('other-1'));
    outbox.push(loginEvent('fail-1'));
    outbox.push(fileEvent('phi-1', 'phi'));
    outbox.push(loginEvent('fail-2')); // evicts other-1
    outbox.push(fileEvent('other-2')); // nothing lower waits: the newcomer goes
    outbox.push(loginEvent('logon-1', 'logon')); // normal < high everywhere: dropped
    outbox.push(loginEvent('priv-1', 'privilege_use')); // evicts the oldest high: fail-1
    expect(outbox.stats()).toMatchObject({ queued: 3, dropped: 4 });
    const batch = outbox.takeBatch(10);
    expect(ids(batch)?.sort()).toEqual(['fail-2', 'phi-1', 'priv-1']);
    expect(batch?.dropped).toEqual({
      'queue_full.low.file': 2,
      'queue_full.normal.login': 1,
      'queue_full.high.login': 1,
    });
  });

  it('reports drops once, hands them back if their batch is lost, and sends a batch for drops alone', () => {
    const outbox = new MemoryOutbox({ capacity: 1, firstSequence: 1 });
    outbox.push(fileEvent('a'));
    outbox.push(fileEvent('b'));
    const first = outbox.takeBatch(10);
    expect(first?.dropped).toEqual({ 'queue_full.low.file': 1 });
    outbox.requeueInFlight();
    const again = outbox.takeBatch(10);
    expect(again?.dropped).toEqual({ 'queue_full.low.file': 1 });
    outbox.ack(again!.sequence);
    expect(outbox.takeBatch(10)).toBeNull();

    outbox.push(fileEvent('c'));
    outbox.push(fileEvent('d')); // evicts c
    outbox.takeBatch(10);
    outbox.ack(Number.MAX_SAFE_INTEGER);
    outbox.push(fileEvent('e'));
    outbox.takeBatch(0);
    expect(outbox.stats().dropped).toBe(2);
  });

  it('counts capacity over waiting and in-flight events together', () => {
    const outbox = new MemoryOutbox({ capacity: 2, firstSequence: 1 });
    outbox.push(fileEvent('a'));
    outbox.push(fileEvent('b'));
    outbox.takeBatch(10);
    outbox.push(fileEvent('c')); // full with two in flight, none waiting to evict
    expect(outbox.stats()).toMatchObject({ queued: 2, dropped: 1 });
  });
});
