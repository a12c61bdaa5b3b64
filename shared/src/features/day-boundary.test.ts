import { describe, expect, it } from 'vitest';
import { dayBoundaryHour } from './day-boundary';
import { HourProfile } from './user-history';

/** A profile of `days` windows, each active in the hours [from, from + length) (wrapping midnight). */
function worked(from: number, length: number, days = 10, profile = new HourProfile()): HourProfile {
  for (let d = 0; d < days; d++) for (let k = 0; k < length; k++) profile.add((from + k) % 24);
  return profile;
}

describe('dayBoundaryHour', () => {
  it('keeps midnight for day, early and evening workers and an empty profile', () => {
    expect(dayBoundaryHour(worked(7, 12))).toBe(0);
    expect(dayBoundaryHour(worked(4, 8))).toBe(0);
    expect(dayBoundaryHour(worked(15, 9))).toBe(0); // 15:00–24:00: midnight splits nothing
    expect(dayBoundaryHour(new HourProfile())).toBe(0);
  });

  it('moves the cut of a 19:00–07:00 night shift to the middle of the day it sleeps', () => {
    // Quiet 07:00–19:00 (12 hours): the cut falls at 13:00, six hours from either end.
    expect(dayBoundaryHour(worked(19, 12))).toBe(13);
    // 22:00–06:00: quiet 06:00–22:00, cut at 14:00; 17:00–01:00: quiet 01:00–17:00, cut at 09:00.
    expect(dayBoundaryHour(worked(22, 8))).toBe(14);
    expect(dayBoundaryHour(worked(17, 8))).toBe(9);
  });

  it('keeps a cut that is still quiet (no windows wandering by an hour) and leaves one the user now works at', () => {
    const night = worked(19, 12);
    expect(dayBoundaryHour(night, 10)).toBe(10);
    expect(dayBoundaryHour(night, 3)).toBe(13);
    // A day worker who was on nights before: midnight is quiet again, so back to calendar days.
    expect(dayBoundaryHour(worked(7, 12, 40), 13)).toBe(0);
  });

  it('counts rare overtime as quiet, regular work as not', () => {
    const night = worked(19, 12, 60);
    night.add(8); // one morning of overtime in 60 nights
    expect(dayBoundaryHour(night)).toBe(13);
    const long = worked(19, 12, 60);
    worked(7, 3, 30, long); // every other day until 10:00
    expect(dayBoundaryHour(long)).toBe(15); // quiet 10:00–19:00: its middle
  });

  it('keeps the cut in use when no hour is quiet (rotating shifts, a peer group of day and night workers)', () => {
    const rotating = worked(0, 24, 10);
    worked(9, 8, 10, rotating); // busier in the day, never away
    expect(dayBoundaryHour(rotating)).toBe(0);
    expect(dayBoundaryHour(rotating, 7)).toBe(7);
    const nurses = worked(7, 12, 70);
    worked(19, 12, 30, nurses);
    expect(dayBoundaryHour(nurses)).toBe(0);
  });

  it('moves nothing on too little history (an hour not seen yet is not a quiet one)', () => {
    expect(dayBoundaryHour(worked(19, 12, 2))).toBe(0);
    expect(dayBoundaryHour(worked(19, 12, 3))).toBe(13);
  });
});
