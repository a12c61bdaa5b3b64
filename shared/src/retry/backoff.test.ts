import { describe, expect, it } from 'vitest';
import { Backoff, backoffDelay } from './backoff';

describe('backoffDelay', () => {
  const options = { baseMs: 100, maxMs: 5_000 };

  it('grows the ceiling exponentially up to the cap', () => {
    const top = (attempt: number) => backoffDelay(attempt, { ...options, random: () => 0.999999 });
    expect(top(0)).toBe(99);
    expect(top(1)).toBe(199);
    expect(top(3)).toBe(799);
    expect(top(10)).toBe(4_999);
    expect(top(1_000)).toBe(4_999);
  });

  it('draws the delay anywhere from zero to the ceiling (full jitter)', () => {
    expect(backoffDelay(2, { ...options, random: () => 0 })).toBe(0);
    expect(backoffDelay(2, { ...options, random: () => 0.5 })).toBe(200);
    const seen = new Set(Array.from({ length: 50 }, () => backoffDelay(4, options)));
    expect(seen.size).toBeGreaterThan(10);
    for (const delay of seen) expect(delay).toBeLessThan(1_600);
  });

  it('rejects a negative or fractional attempt', () => {
    expect(() => backoffDelay(-1, options)).toThrow(RangeError);
    expect(() => backoffDelay(1.5, options)).toThrow(RangeError);
  });
});

describe('Backoff', () => {
  it('counts attempts and starts over after reset', () => {
    const backoff = new Backoff({ baseMs: 10, maxMs: 1_000, random: () => 0.999 });
    expect([backoff.next(), backoff.next(), backoff.next()]).toEqual([9, 19, 39]);
    expect(backoff.attempts).toBe(3);
    backoff.reset();
    expect(backoff.next()).toBe(9);
  });
});
