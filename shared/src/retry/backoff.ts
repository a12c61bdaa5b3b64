// One backoff-with-jitter helper for every retry in WardWatch (agent reconnects,
// manager clients), so the policy lives in one place. "Full jitter": the delay is
// drawn uniformly from [0, min(cap, base * 2^attempt)], which spreads a fleet of
// agents reconnecting to a restarted manager instead of having them arrive together.

export interface BackoffOptions {
  /** Delay ceiling of the first retry, in ms. */
  baseMs: number;
  /** Largest delay ever returned, in ms. */
  maxMs: number;
  /** Source of randomness in [0, 1); injectable so tests are deterministic. */
  random?: () => number;
}

/** Delay before retry number `attempt` (0 for the first retry). */
export function backoffDelay(attempt: number, options: BackoffOptions): number {
  if (!Number.isInteger(attempt) || attempt < 0)
    throw new RangeError(`attempt must be a non-negative integer, got ${attempt}`);
  const random = options.random ?? Math.random;
  // Cap the exponent so 2^attempt cannot overflow to Infinity on long outages.
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** Math.min(attempt, 30));
  return Math.floor(random() * ceiling);
}

/** Counts attempts and hands out the next delay; `reset()` after a success. */
export class Backoff {
  private attempt = 0;

  constructor(private readonly options: BackoffOptions) {}

  next(): number {
    const delay = backoffDelay(this.attempt, this.options);
    this.attempt += 1;
    return delay;
  }

  reset(): void {
    this.attempt = 0;
  }

  get attempts(): number {
    return this.attempt;
  }
}
