import { describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../logging/logger';
import { DropCounter } from '../outbox/drop-counter';
import { EventBudget } from '../outbox/event-budget';
import { MemoryOutbox } from '../outbox/memory-outbox';
import { fileEvent, loginEvent } from '../outbox/test-events.fixture';
import { Pseudonymizer } from '../pseudonymize/pseudonymizer';
import { StatusTracker } from '../status/status-tracker';
import { EventPipeline } from './event-pipeline';
import { RecentEvents } from './recent-events';

function sut() {
  const outbox = new MemoryOutbox({ capacity: 10, firstSequence: 1 });
  const status = new StatusTracker({
    version: '0.1.0',
    managerAddress: 'm:1',
    outboxStats: () => outbox.stats(),
    now: () => 42,
  });
  const recent = new RecentEvents(2);
  const logger = createMemoryLogger();
  let notified = 0;
  const pipeline = new EventPipeline({
    pseudonymizer: new Pseudonymizer(Buffer.alloc(32, 3)),
    outbox,
    recent,
    status,
    logger,
    onQueued: () => (notified += 1),
  });
  return { pipeline, outbox, status, recent, logger, notified: () => notified };
}

describe('EventPipeline', () => {
  it('queues only pseudonymised events, keeps them for the tray and wakes the session', () => {
    const { pipeline, outbox, status, recent, notified } = sut();
    const event = fileEvent('e1', 'phi');
    event.user = 'dr.house';
    pipeline.emit(event);
    const batch = outbox.takeBatch(10)!;
    expect(batch.events[0].user).toMatch(/^u_/);
    expect(JSON.stringify(batch)).not.toContain('dr.house');
    expect(JSON.stringify(recent.list())).not.toContain('dr.house');
    expect(status.snapshot()).toMatchObject({ lastEventAt: 42, counts: { collected: 1 } });
    expect(notified()).toBe(1);
  });

  it('keeps only the most recent events, newest first', () => {
    const { pipeline, recent } = sut();
    for (const id of ['a', 'b', 'c']) pipeline.emit(loginEvent(id));
    expect(recent.list().map((e) => e.id)).toEqual(['c', 'b']);
    expect(recent.list()[0]).toMatchObject({ category: 'login', action: 'failed_logon' });
  });

  it('counts parse errors and logs the first and every hundredth, without the line', () => {
    const { pipeline, logger } = sut();
    for (let i = 0; i < 150; i++) pipeline.parseError('logins', 'bad timestamp');
    expect(logger.lines.filter((l) => l.msg === 'unreadable input counted').map((l) => l.count)).toEqual([1, 100]);
  });

  it('stops refused events at the budget and reports them in the batch, the status and the totals', () => {
    const drops = new DropCounter();
    const outbox = new MemoryOutbox({ capacity: 10, firstSequence: 1, drops });
    const budget = new EventBudget(
      {
        low: { perSecond: 1, burstSeconds: 1 },
        normal: { perSecond: 1, burstSeconds: 1 },
        high: { perSecond: null, burstSeconds: 1 },
      },
      drops,
      () => 0,
    );
    const status = new StatusTracker({ version: '0.1.0', managerAddress: 'm:1', outboxStats: () => outbox.stats() });
    const pipeline = new EventPipeline({
      pseudonymizer: new Pseudonymizer(Buffer.alloc(32, 3)),
      outbox,
      budget,
      recent: new RecentEvents(),
      status,
      logger: createMemoryLogger(),
      onQueued: () => {},
    });
    for (const id of ['a', 'b', 'c']) pipeline.emit(fileEvent(id));
    pipeline.emit(fileEvent('phi', 'phi'));
    const batch = outbox.takeBatch(10)!;
    expect(batch.events.map((e) => e.id)).toEqual(['phi', 'a']);
    expect(batch.dropped).toEqual({ 'rate_limit.low.file': 2 });
    expect(status.snapshot().counts).toMatchObject({ dropped: 2, droppedByReason: { 'rate_limit.low.file': 2 } });
  });

  it('counts the events a collector held back at its own bound as drops the manager sees, and queues none', () => {
    const drops = new DropCounter();
    const outbox = new MemoryOutbox({ capacity: 10, firstSequence: 1, drops });
    const pipeline = new EventPipeline({
      pseudonymizer: new Pseudonymizer(Buffer.alloc(32, 3)),
      outbox,
      drops,
      recent: new RecentEvents(),
      status: new StatusTracker({ version: '0.1.0', managerAddress: 'm:1', outboxStats: () => outbox.stats() }),
      logger: createMemoryLogger(),
      onQueued: () => {},
    });
    pipeline.overLimit(fileEvent('read-1'));
    pipeline.overLimit(fileEvent('read-2'));
    expect(outbox.stats().queued).toBe(0);
    expect(outbox.takeBatch(10)?.dropped).toEqual({ 'over_limit.low.file': 2 });
  });
});
