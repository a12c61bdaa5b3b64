// Per-source sign-in limits, in memory and bounded.
//
// Invariants:
// - At most `maxSources` sources are held; making room evicts the source used least
//   recently. Only sources live here: accounts' backoff is in the database, so no
//   number of sources or names can push an account's failures out.
// - A token bucket per source (`perMinute` refill, `burst` size) pays for attempts
//   that reach the password check; a successful sign-in gives its token back, so a
//   ward signing in at shift change behind one address is not slowed by itself.
// - A source that failed on `sprayAccounts` distinct accounts within `sprayWindowMs`
//   is spraying: for a window from then on it gets one attempt per SPRAY_INTERVAL_MS,
//   and `recordFailure` says so once per episode (the caller audits it).
// - Distinct accounts are remembered as 32-bit hashes, at most `sprayAccounts` per
//   source, so a source costs a bounded few hundred bytes whatever it sends.

export interface SourceLimits {
  perMinute: number;
  burst: number;
  sprayAccounts: number;
  sprayWindowMs: number;
  maxSources: number;
}

/** While a source is marked spraying it gets one attempt per this long. */
export const SPRAY_INTERVAL_MS = 60_000;

interface SourceState {
  tokens: number;
  refilledAt: number;
  /** account hash → time of its latest failure from this source. */
  failedAccounts: Map<number, number>;
  sprayingUntil: number;
  lastAttemptAt: number;
}

export interface SprayDetected {
  accounts: number;
  windowMs: number;
}

export class SourceLimiter {
  private readonly sources = new Map<string, SourceState>();
  /** Sources evicted to make room, for the metrics and tests. */
  evicted = 0;

  constructor(private readonly limits: SourceLimits) {}

  get size(): number {
    return this.sources.size;
  }

  /** Milliseconds until the source may make an attempt; 0 when it may now. Takes nothing. */
  waitMs(source: string, now: number): number {
    const state = this.sources.get(source);
    return state ? this.wait(state, now) : 0;
  }

  /** Takes one attempt's token; returns 0 when taken, else the milliseconds until one is free. */
  take(source: string, now: number): number {
    const state = this.touch(source, now);
    const wait = this.wait(state, now);
    if (wait > 0) return wait;
    state.tokens -= 1;
    state.lastAttemptAt = now;
    return 0;
  }

  private wait(state: SourceState, now: number): number {
    if (state.sprayingUntil > now) {
      const wait = state.lastAttemptAt + SPRAY_INTERVAL_MS - now;
      if (wait > 0) return wait;
    }
    this.refill(state, now);
    return state.tokens < 1 ? Math.ceil(((1 - state.tokens) * 60_000) / this.limits.perMinute) : 0;
  }

  /** Gives back the token of an attempt that succeeded. */
  refund(source: string): void {
    const state = this.sources.get(source);
    if (state) state.tokens = Math.min(this.limits.burst, state.tokens + 1);
  }

  /** Notes a failure on `account`; returns the spray just detected, once per episode. */
  recordFailure(source: string, account: string, now: number): SprayDetected | undefined {
    const state = this.touch(source, now);
    const since = now - this.limits.sprayWindowMs;
    for (const [hash, at] of state.failedAccounts) if (at <= since) state.failedAccounts.delete(hash);
    state.failedAccounts.delete(hashOf(account));
    state.failedAccounts.set(hashOf(account), now);
    if (state.failedAccounts.size < this.limits.sprayAccounts) return undefined;
    const accounts = state.failedAccounts.size;
    state.failedAccounts.clear();
    const already = state.sprayingUntil > now;
    state.sprayingUntil = now + this.limits.sprayWindowMs;
    return already ? undefined : { accounts, windowMs: this.limits.sprayWindowMs };
  }

  private refill(state: SourceState, now: number): void {
    const elapsed = Math.max(0, now - state.refilledAt);
    state.tokens = Math.min(this.limits.burst, state.tokens + (elapsed * this.limits.perMinute) / 60_000);
    state.refilledAt = now;
  }

  /** The source's state, moved to the most recently used end; made (evicting the oldest) when new. */
  private touch(source: string, now: number): SourceState {
    let state = this.sources.get(source);
    if (state) this.sources.delete(source);
    else {
      if (this.sources.size >= this.limits.maxSources) {
        const oldest = this.sources.keys().next();
        if (!oldest.done) this.sources.delete(oldest.value);
        this.evicted += 1;
      }
      state = {
        tokens: this.limits.burst,
        refilledAt: now,
        failedAccounts: new Map(),
        sprayingUntil: 0,
        lastAttemptAt: 0,
      };
    }
    this.sources.set(source, state);
    return state;
  }
}

/** FNV-1a, 32 bits: a collision only makes two accounts count as one. */
function hashOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}
