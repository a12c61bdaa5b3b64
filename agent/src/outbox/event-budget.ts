// The event budget: a token bucket per priority class, passed before an event
// is pseudonymised and queued. Sustained floods of low-value events are cut here
// (and counted) instead of filling the outbox and the link to the manager.
//
// Promise: a class is refused only when every lower class is out of tokens too —
// a high event that finds its own bucket empty borrows from `normal`, then from
// `low`. So authentication failures, privilege use and patient-data file events
// are never dropped while low-value events are still being let through.
// `high` is unlimited by default.
//
// The watchdog may scale the low class down (`setLowFactor`) while the agent is
// over its CPU or memory limits.
import type { Event } from '@wardwatch/proto';
import type { DropCounter } from './drop-counter';
import { eventPriority, priorities, type Priority } from './event-priority';

export interface ClassBudget {
  /** Sustained events per second; null = unlimited. */
  perSecond: number | null;
  /** Tokens a quiet class saves up, in seconds of its rate (the burst it absorbs). */
  burstSeconds: number;
}

export type BudgetConfig = Record<Priority, ClassBudget>;

export const DEFAULT_BUDGET: BudgetConfig = {
  low: { perSecond: 200, burstSeconds: 5 },
  normal: { perSecond: 1_000, burstSeconds: 5 },
  high: { perSecond: null, burstSeconds: 5 },
};

class TokenBucket {
  private tokens: number;
  private last: number;
  factor = 1;

  constructor(
    private readonly budget: ClassBudget,
    now: number,
  ) {
    this.tokens = this.capacity();
    this.last = now;
  }

  get unlimited(): boolean {
    return this.budget.perSecond === null;
  }

  /** Refills for the time passed, then takes one token if there is one. */
  take(now: number): boolean {
    if (this.budget.perSecond === null) return true;
    const rate = this.budget.perSecond * this.factor;
    this.tokens = Math.min(this.capacity(), this.tokens + ((now - this.last) / 1_000) * rate);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** At least one token, so a slow class still passes an event now and then; 0 events/s turns a class off. */
  private capacity(): number {
    const perSecond = this.budget.perSecond ?? 0;
    return perSecond === 0 ? 0 : Math.max(1, perSecond * this.factor * this.budget.burstSeconds);
  }
}

export class EventBudget {
  private readonly buckets: Record<Priority, TokenBucket>;

  constructor(
    config: BudgetConfig,
    private readonly drops: DropCounter,
    private readonly now: () => number = Date.now,
  ) {
    const at = now();
    this.buckets = {
      low: new TokenBucket(config.low, at),
      normal: new TokenBucket(config.normal, at),
      high: new TokenBucket(config.high, at),
    };
  }

  /** True when the event may be queued; a refused event is counted as `rate_limit.<class>.<category>`. */
  admit(event: Event): boolean {
    const priority = eventPriority(event);
    const now = this.now();
    // Own bucket first, then borrow downwards: a class never starves while a lower one is served.
    for (let level = priorities.indexOf(priority); level >= 0; level--) {
      if (this.buckets[priorities[level]].take(now)) return true;
    }
    this.drops.count('rate_limit', priority, event);
    return false;
  }

  /** Scales the low class's rate (1 = as configured); the watchdog lowers it under pressure. */
  setLowFactor(factor: number): void {
    this.buckets.low.factor = Math.min(1, Math.max(0.01, factor));
  }

  get lowFactor(): number {
    return this.buckets.low.factor;
  }
}
