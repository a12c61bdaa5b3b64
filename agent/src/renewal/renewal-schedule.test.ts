import { describe, expect, it } from 'vitest';
import { MAX_TIMER_MS, MAX_WAIT_MS, nextStep, renewalDueAt, retryDelay } from './renewal-schedule';

const DAY = 86_400_000;
const year = { notBefore: Date.UTC(2026, 0, 1), notAfter: Date.UTC(2026, 0, 1) + 365 * DAY };

describe('renewal schedule', () => {
  it('is due at two thirds of the lifetime, counted from notBefore', () => {
    expect(renewalDueAt({ notBefore: 1_000, notAfter: 10_000 })).toBe(7_000);
    expect(renewalDueAt({ notBefore: 0, notAfter: 10 })).toBe(6); // rounded down: never late
    expect(renewalDueAt(year)).toBe(year.notBefore + Math.floor((365 * DAY * 2) / 3));
    expect((renewalDueAt(year) - year.notBefore) / DAY).toBeCloseTo(243.33, 2);
  });

  it('waits until then, never longer than a day at a time (a timer cannot hold 243 days)', () => {
    expect(nextStep(year, year.notBefore)).toEqual({ kind: 'wait', ms: MAX_WAIT_MS });
    expect(MAX_WAIT_MS).toBeLessThan(MAX_TIMER_MS);
    const due = renewalDueAt(year);
    expect(nextStep(year, due - 5_000)).toEqual({ kind: 'wait', ms: 5_000 });
    expect(nextStep({ notBefore: 0, notAfter: 9_000 }, 1_000)).toEqual({ kind: 'wait', ms: 5_000 });
  });

  it('renews from the due time until expiry, and reports an expired certificate as such', () => {
    const due = renewalDueAt(year);
    expect(nextStep(year, due)).toEqual({ kind: 'renew' });
    expect(nextStep(year, year.notAfter - 1)).toEqual({ kind: 'renew' });
    expect(nextStep(year, year.notAfter)).toEqual({ kind: 'expired' });
    expect(nextStep(year, year.notAfter + DAY)).toEqual({ kind: 'expired' });
  });

  it('retries after the backoff, but not past the expiry and not sooner than the minimum', () => {
    const v = { notBefore: 0, notAfter: 100_000 };
    expect(retryDelay(4_000, v, 50_000)).toBe(4_000);
    expect(retryDelay(80_000, v, 50_000)).toBe(49_000); // one last try a second before expiry
    expect(retryDelay(10, v, 50_000)).toBe(1_000);
    expect(retryDelay(4_000, v, 99_800)).toBe(1_000);
    expect(retryDelay(10 * DAY, year, year.notBefore)).toBe(MAX_WAIT_MS);
  });
});
