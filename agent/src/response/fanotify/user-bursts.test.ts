import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UserBursts, type Writer } from './user-bursts';

const SETTINGS = { files: 6, windowMs: 10_000, denyMs: 60_000, denyMaxMs: 600_000 };
const writer = (pid: number, unit = `g${pid}`): Writer => ({ unit, pid, ref: { pid, startTime: pid * 10 } });

describe('UserBursts', () => {
  it('trips a user at the sixth file within the window from several groups, naming each writer once', () => {
    const bursts = new UserBursts(SETTINGS);
    for (let i = 0; i < 5; i++) expect(bursts.written(1000, writer(100 + i), 1_000 + i * 100)).toBeUndefined();
    const trip = bursts.written(1000, writer(104), 1_600); // the fifth writer's second file
    expect(trip).toMatchObject({ uid: 1000, files: 6, units: 5, firstAtMs: 1_000, decidedAtMs: 1_600 });
    expect(trip?.writers.map((w) => w.pid)).toEqual([100, 101, 102, 103, 104]);
    expect(trip?.deniedUntilMs).toBe(61_600);
    expect(bursts.denied(1000, 1_601)).toBe(true);
    expect(bursts.denied(1001, 1_601)).toBe(false); // another user writes on
  });

  it('leaves one group alone (its own count judges it) and forgets files older than the window', () => {
    const bursts = new UserBursts(SETTINGS);
    for (let i = 0; i < 9; i++) expect(bursts.written(1000, writer(200 + i, 'g7'), i)).toBeUndefined();
    const spaced = new UserBursts(SETTINGS);
    // One file every 2 s: never six within 10 s.
    for (let i = 0; i < 30; i++) expect(spaced.written(1000, writer(300 + i), i * 2_000)).toBeUndefined();
  });

  it('ends a denial, renews it on attempts, never past its bound, and counts nothing while it lasts', () => {
    const bursts = new UserBursts({ ...SETTINGS, denyMaxMs: 150_000 });
    for (let i = 0; i < 5; i++) bursts.written(0, writer(i + 2), i);
    expect(bursts.written(0, writer(9), 5)).toBeDefined();
    for (let i = 0; i < 20; i++) expect(bursts.written(0, writer(20 + i), 10 + i)).toBeUndefined();
    expect(bursts.denied(0, 60_004)).toBe(true);
    bursts.renew(0, 50_000); // an attempt: 60 s from now, within 150 s of the trip
    expect(bursts.denied(0, 100_000)).toBe(true);
    bursts.renew(0, 100_000); // would run to 160 s: held at 150 s after the trip
    expect(bursts.denied(0, 150_004)).toBe(true);
    expect(bursts.denied(0, 150_005)).toBe(false);
    expect(bursts.deniedUsers(150_005)).toBe(0);
    const unrenewed = new UserBursts(SETTINGS);
    for (let i = 0; i < 6; i++) unrenewed.written(7, writer(i + 2), 0);
    expect(unrenewed.denied(7, 59_999)).toBe(true);
    expect(unrenewed.denied(7, 60_000)).toBe(false);
    // After it: a fresh count.
    for (let i = 0; i < 5; i++) expect(bursts.written(0, writer(50 + i), 151_000 + i)).toBeUndefined();
  });

  it('holds its invariants for any sequence of files and attempts', () => {
    const step = fc.record({
      uid: fc.integer({ min: 0, max: 3 }),
      pid: fc.integer({ min: 2, max: 12 }),
      dtMs: fc.integer({ min: 0, max: 5_000 }),
      attempt: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 200 }), fc.integer({ min: 2, max: 9 }), (steps, files) => {
        const settings = { files, windowMs: 10_000, denyMs: 3_000, denyMaxMs: 9_000 };
        const bursts = new UserBursts(settings);
        const trips = new Map<number, number>();
        let now = 0;
        for (const s of steps) {
          now += s.dtMs;
          if (s.attempt) {
            if (bursts.denied(s.uid, now)) bursts.renew(s.uid, now);
          } else {
            const denied = bursts.denied(s.uid, now);
            const trip = bursts.written(s.uid, writer(s.pid), now);
            if (trip) {
              expect(denied).toBe(false); // one trip per denial
              expect(trip.files).toBe(files);
              expect(trip.units).toBeGreaterThanOrEqual(2);
              expect(trip.decidedAtMs - trip.firstAtMs).toBeLessThan(settings.windowMs);
              trips.set(s.uid, now);
            }
          }
          // A denial always ends within its bound.
          for (const [uid, at] of trips)
            if (now >= at + settings.denyMaxMs) expect(bursts.denied(uid, now)).toBe(false);
        }
      }),
    );
  });
});
