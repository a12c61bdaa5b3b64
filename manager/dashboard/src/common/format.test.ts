import { describe, expect, it } from 'vitest';
import { formatAbsolute, formatCount, formatFigure, formatRelative, formatTimeOfDay } from './format';

const now = Date.UTC(2026, 10, 22, 12, 0, 0);

describe('formatRelative', () => {
  it('treats a few seconds either way as just now', () => {
    expect(formatRelative(now, now)).toBe('just now');
    expect(formatRelative(now - 4_999, now)).toBe('just now');
    expect(formatRelative(now + 3_000, now)).toBe('just now');
  });

  it('picks the largest whole unit, rounding down', () => {
    expect(formatRelative(now - 5_000, now)).toBe('5 s ago');
    expect(formatRelative(now - 59_999, now)).toBe('59 s ago');
    expect(formatRelative(now - 60_000, now)).toBe('1 min ago');
    expect(formatRelative(now - 3_599_999, now)).toBe('59 min ago');
    expect(formatRelative(now - 3_600_000, now)).toBe('1 h ago');
    expect(formatRelative(now - 25 * 3_600_000, now)).toBe('1 d ago');
    expect(formatRelative(now - 400 * 86_400_000, now)).toBe('400 d ago');
  });

  it('says "in" for times ahead of the browser clock', () => {
    expect(formatRelative(now + 90_000, now)).toBe('in 1 min');
  });
});

describe('formatAbsolute', () => {
  it('formats a valid time and refuses an invalid one', () => {
    const local = new Date(2026, 0, 5, 7, 8, 9).getTime();
    expect(formatAbsolute(local)).toBe('2026-01-05 07:08:09');
    expect(formatTimeOfDay(local)).toBe('07:08:09');
    expect(formatAbsolute(Number.NaN)).toBe('invalid time');
  });
});

describe('numbers', () => {
  it('groups thousands and keeps one decimal for fractions', () => {
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatCount(Number.POSITIVE_INFINITY)).toBe('?');
    expect(formatFigure(12000)).toBe('12,000');
    expect(formatFigure(7.94)).toBe('7.9');
    expect(formatFigure(Number.NaN)).toBe('?');
  });
});
