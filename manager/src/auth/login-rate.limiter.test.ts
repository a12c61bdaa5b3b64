import { describe, expect, it } from 'vitest';
import type { Clock } from '../common/clock';
import { LoginRateLimiter, MAX_FAILURES, WINDOW_MS } from './login-rate.limiter';

function sut() {
  let now = 1_000_000;
  const clock: Clock = { now: () => now };
  return { limiter: new LoginRateLimiter(clock), advance: (ms: number) => (now += ms) };
}

describe('LoginRateLimiter', () => {
  it('blocks one username from one address after too many failures, until the window passes', () => {
    const { limiter, advance } = sut();
    for (let i = 0; i < MAX_FAILURES; i++) limiter.recordFailure('Admin', '10.0.0.1');
    expect(limiter.retryAfterMs('admin', '10.0.0.1')).toBe(WINDOW_MS);
    expect(limiter.retryAfterMs('admin', '10.0.0.2')).toBe(0);
    expect(limiter.retryAfterMs('nurse', '10.0.0.1')).toBe(0);
    advance(WINDOW_MS);
    expect(limiter.retryAfterMs('admin', '10.0.0.1')).toBe(0);
  });

  it('forgets failures after a successful sign-in', () => {
    const { limiter } = sut();
    for (let i = 0; i < MAX_FAILURES - 1; i++) limiter.recordFailure('admin', '::1');
    limiter.reset('admin', '::1');
    limiter.recordFailure('admin', '::1');
    expect(limiter.retryAfterMs('admin', '::1')).toBe(0);
  });
});
