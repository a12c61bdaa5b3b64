import { describe, expect, it } from 'vitest';
import type { Clock } from '../common/clock';
import { MAX_REQUESTS, ReidentificationRateLimiter, WINDOW_MS } from './reidentification.rate-limiter';

describe('ReidentificationRateLimiter', () => {
  it('allows MAX_REQUESTS per user in a sliding window, then says how long to wait', () => {
    let now = 1_000_000;
    const clock: Clock = { now: () => now };
    const limiter = new ReidentificationRateLimiter(clock);
    for (let i = 0; i < MAX_REQUESTS; i++) {
      expect(limiter.take('olivia')).toBe(0);
      now += 1_000;
    }
    expect(limiter.take('olivia')).toBe(WINDOW_MS - MAX_REQUESTS * 1_000);
    expect(limiter.take('oscar')).toBe(0);
    now = 1_000_000 + WINDOW_MS + 1; // the first request has left the window
    expect(limiter.take('olivia')).toBe(0);
    expect(limiter.take('olivia')).toBeGreaterThan(0);
  });
});
