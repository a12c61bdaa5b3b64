import fc from 'fast-check';
import type { Event } from '@wardwatch/proto';
import { describe, expect, it } from 'vitest';
import { DropCounter } from './drop-counter';
import { DEFAULT_BUDGET, EventBudget, type BudgetConfig } from './event-budget';
import { MemoryOutbox } from './memory-outbox';
import { fileEvent, loginEvent } from './test-events.fixture';

function sut(config: BudgetConfig) {
  let now = 0;
  const drops = new DropCounter();
  const budget = new EventBudget(config, drops, () => now);
  return { budget, drops, advance: (ms: number) => (now += ms) };
}

const limited = (perSecond: number | null, burstSeconds = 1) => ({ perSecond, burstSeconds });

describe('EventBudget', () => {
  it('lets a class through at its rate after its burst, and counts each refusal by reason, class and category', () => {
    const { budget, drops, advance } = sut({ low: limited(10), normal: limited(10), high: limited(null) });
    const admitted = Array.from({ length: 15 }, (_, i) => budget.admit(fileEvent(`o${i}`))).filter(Boolean).length;
    expect(admitted).toBe(10); // the burst: 10/s × 1 s
    advance(500);
    const later = Array.from({ length: 15 }, (_, i) => budget.admit(fileEvent(`p${i}`))).filter(Boolean).length;
    expect(later).toBe(5); // half a second refills half the rate
    expect(drops.byKey()).toEqual({ 'rate_limit.low.file': 15 });
    expect(drops.total).toBe(15);
  });

  it('never refuses authentication failures, privilege use or patient-data events by default', () => {
    const { budget, drops } = sut(DEFAULT_BUDGET);
    for (let i = 0; i < 5_000; i++) {
      expect(budget.admit(loginEvent(`f${i}`))).toBe(true);
      expect(budget.admit(loginEvent(`p${i}`, 'privilege_use'))).toBe(true);
      expect(budget.admit(fileEvent(`phi${i}`, 'phi'))).toBe(true);
    }
    expect(drops.total).toBe(0);
  });

  it('lets a limited high class borrow from lower classes before refusing it', () => {
    const { budget, drops } = sut({ low: limited(5), normal: limited(3), high: limited(2) });
    const highs = Array.from({ length: 12 }, (_, i) => budget.admit(loginEvent(`h${i}`))).filter(Boolean).length;
    expect(highs).toBe(10); // 2 own + 3 normal + 5 low
    expect(budget.admit(fileEvent('late-low'))).toBe(false); // low was spent on high events
    expect(drops.byKey()).toEqual({ 'rate_limit.high.login': 2, 'rate_limit.low.file': 1 });
  });

  it('turns a class off at 0 events/s', () => {
    const { budget, drops, advance } = sut({ low: limited(0), normal: limited(0), high: limited(null) });
    advance(10_000);
    expect(budget.admit(fileEvent('low'))).toBe(false);
    expect(budget.admit(loginEvent('logon', 'logon'))).toBe(false);
    expect(budget.admit(loginEvent('fail'))).toBe(true);
    expect(drops.byKey()).toEqual({ 'rate_limit.low.file': 1, 'rate_limit.normal.login': 1 });
  });

  it('lowers only the low class when the watchdog scales it down', () => {
    const { budget, advance } = sut({ low: limited(100), normal: limited(100), high: limited(null) });
    budget.setLowFactor(0.1);
    advance(1_000);
    const low = Array.from({ length: 100 }, (_, i) => budget.admit(fileEvent(`l${i}`))).filter(Boolean).length;
    const normal = Array.from({ length: 100 }, (_, i) => budget.admit(loginEvent(`n${i}`, 'logon'))).filter(
      Boolean,
    ).length;
    expect(low).toBeLessThanOrEqual(20); // 10/s: whatever was left of the burst, capped at the smaller one
    expect(normal).toBe(100);
  });
});

// Budget and outbox together, under random traffic, small limits and a slow
// manager: every time a high-priority event is dropped, no low-value event may
// still be waiting in the outbox, nor be admissible by the budget at that moment.
describe('budget + outbox: high-priority events are never dropped while low-value ones remain', () => {
  const kinds = ['low', 'logon', 'failed', 'priv', 'phi'] as const;
  const make = (kind: (typeof kinds)[number], id: string): Event =>
    kind === 'low'
      ? fileEvent(id)
      : kind === 'phi'
        ? fileEvent(id, 'phi')
        : loginEvent(id, kind === 'logon' ? 'logon' : kind === 'failed' ? 'failed_logon' : 'privilege_use');

  it('holds for any sequence of arrivals, batches and acknowledgements', () => {
    const step = fc.oneof(
      fc.record({
        op: fc.constant('event' as const),
        kind: fc.constantFrom(...kinds),
        gapMs: fc.integer({ min: 0, max: 50 }),
      }),
      fc.record({ op: fc.constant('take' as const), max: fc.integer({ min: 1, max: 5 }) }),
      fc.record({ op: fc.constant('ack' as const) }),
    );
    fc.assert(
      fc.property(
        fc.array(step, { maxLength: 300 }),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 50 }),
        (steps, capacity, highRate) => {
          const { budget, drops, advance } = sut({ low: limited(20), normal: limited(10), high: limited(highRate) });
          const outbox = new MemoryOutbox({ capacity, firstSequence: 1, drops });
          let violation: string | null = null;
          let probing = false;
          drops.onHighDrop((key) => {
            if (probing) return;
            if (outbox.waitingOf('low') > 0 || outbox.waitingOf('normal') > 0)
              violation = `${key} while lower-priority events waited`;
            probing = true;
            if (key.startsWith('rate_limit') && budget.admit(fileEvent('probe')))
              violation = `${key} while the low budget still had room`;
            probing = false;
          });
          let lastSequence = 0;
          steps.forEach((s, i) => {
            if (s.op === 'event') {
              advance(s.gapMs);
              const event = make(s.kind, `e${i}`);
              if (budget.admit(event)) outbox.push(event);
            } else if (s.op === 'take') lastSequence = outbox.takeBatch(s.max)?.sequence ?? lastSequence;
            else outbox.ack(lastSequence);
          });
          expect(violation).toBeNull();
          const reported = Object.values(drops.byKey()).reduce((a, b) => a + b, 0);
          expect(reported).toBe(drops.total);
        },
      ),
      { numRuns: 400 },
    );
  });
});
