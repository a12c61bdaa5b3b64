import { describe, expect, it } from 'vitest';
import { backoffDelayMs } from './backoff-policy';
import { SourceLimiter, SPRAY_INTERVAL_MS, type SourceLimits } from './source-limiter';

const LIMITS: SourceLimits = { perMinute: 6, burst: 3, sprayAccounts: 4, sprayWindowMs: 60_000, maxSources: 3 };

describe('backoffDelayMs', () => {
  it('is free for the first failures, then doubles from the base up to the cap', () => {
    const policy = { freeFailures: 3, baseDelayMs: 1_000, maxDelayMs: 900_000 };
    expect([1, 2, 3, 4, 5, 6, 13, 14, 1_000].map((n) => backoffDelayMs(n, policy))).toEqual([
      0, 0, 0, 1_000, 2_000, 4_000, 512_000, 900_000, 900_000,
    ]);
  });
});

describe('SourceLimiter', () => {
  it('is a token bucket per source whose successes give their token back', () => {
    const limiter = new SourceLimiter(LIMITS);
    expect([0, 0, 0].map(() => limiter.take('a', 0))).toEqual([0, 0, 0]);
    expect(limiter.take('a', 0)).toBe(10_000);
    expect(limiter.waitMs('a', 5_000)).toBe(5_000);
    expect(limiter.take('b', 0)).toBe(0);
    limiter.refund('a');
    expect(limiter.take('a', 0)).toBe(0);
    expect(limiter.take('a', 10_000)).toBe(0);
  });

  it('reports a spray once per episode and then allows one attempt per interval', () => {
    const limiter = new SourceLimiter({ ...LIMITS, burst: 100, perMinute: 100 });
    const seen = ['u1', 'u2', 'u3', 'u1'].map((u) => limiter.recordFailure('s', u, 1_000));
    expect(seen.every((s) => s === undefined)).toBe(true);
    limiter.take('s', 1_000);
    expect(limiter.recordFailure('s', 'u4', 1_000)).toEqual({ accounts: 4, windowMs: 60_000 });
    expect(limiter.take('s', 2_000)).toBe(SPRAY_INTERVAL_MS - 1_000);
    for (const u of ['u5', 'u6', 'u7', 'u8']) expect(limiter.recordFailure('s', u, 2_000)).toBeUndefined();
    expect(limiter.take('s', 1_000 + SPRAY_INTERVAL_MS)).toBe(0);
    // The episode over, a new spray is reported again.
    for (const u of ['u1', 'u2', 'u3']) limiter.recordFailure('s', u, 200_000);
    expect(limiter.recordFailure('s', 'u4', 200_000)).toBeDefined();
  });

  it('forgets accounts failed before the window', () => {
    const limiter = new SourceLimiter(LIMITS);
    for (const u of ['u1', 'u2', 'u3']) limiter.recordFailure('s', u, 0);
    expect(limiter.recordFailure('s', 'u4', 60_001)).toBeUndefined();
  });

  it('holds at most maxSources, evicting the least recently used', () => {
    const limiter = new SourceLimiter(LIMITS);
    for (let i = 0; i < 3; i++) limiter.take('a', 0);
    limiter.take('b', 0);
    limiter.take('c', 0);
    limiter.take('a', 0);
    limiter.take('d', 0);
    expect(limiter.size).toBe(3);
    expect(limiter.evicted).toBe(1);
    expect(limiter.waitMs('a', 0)).toBeGreaterThan(0); // kept: used recently
    expect(limiter.waitMs('b', 0)).toBe(0); // evicted: forgotten
  });
});
