import { describe, expect, it } from 'vitest';
import { durationWords, utcTime } from './time-words';

describe('time words', () => {
  it('say durations in minutes, hours or days', () => {
    expect([0, 59_999, 7 * 60_000, 119 * 60_000].map(durationWords)).toEqual(['0 min', '0 min', '7 min', '119 min']);
    expect([120, 125, 47 * 60 + 59, 48 * 60, 100 * 60].map((m) => durationWords(m * 60_000))).toEqual([
      '2 h',
      '2 h 5 min',
      '47 h 59 min',
      '2 days',
      '4 days',
    ]);
  });

  it('give the date only when it is not today in UTC', () => {
    const t = Date.UTC(2026, 11, 2, 10, 2, 40);
    expect(utcTime(t, t + 3_600_000)).toBe('10:02 UTC');
    expect(utcTime(t, Date.UTC(2026, 11, 3, 0, 1))).toBe('2026-12-02 10:02 UTC');
  });
});
