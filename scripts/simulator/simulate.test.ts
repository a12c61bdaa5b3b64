import { describe, expect, it } from 'vitest';
import { simulate } from './simulate';
import { INSIDER_SCENARIOS, SCENARIOS } from './scenarios';

describe('hospital simulator', () => {
  it('still injects every scenario into a hospital too small to have every role', () => {
    const small = simulate({ days: 6, users: 4, seed: 3 });
    expect(new Set(small.events.map((e) => e.label).filter(Boolean))).toEqual(new Set(SCENARIOS));
  });

  it('is deterministic for a seed and differs across seeds', () => {
    const a = simulate({ days: 10, users: 15, seed: 4 });
    const b = simulate({ days: 10, users: 15, seed: 4 });
    const c = simulate({ days: 10, users: 15, seed: 5 });
    expect(a.events).toEqual(b.events);
    expect(a.events.length).not.toBe(c.events.length);
  });

  it('has roles, night and weekend work, shared workstations, time order and labelled scenarios after the split', () => {
    const sim = simulate({ days: 21, users: 40, seed: 2 });
    expect(new Set(sim.hospital.staff.map((s) => s.role))).toEqual(
      new Set(['nurse', 'physician', 'clerk', 'pharmacist', 'it']),
    );
    expect(sim.hospital.staff.some((s) => s.shift === 'night')).toBe(true);
    const hours = sim.events.filter((e) => e.kind === 'logon' && !e.label).map((e) => new Date(e.time).getUTCHours());
    expect(hours.some((h) => h >= 18 || h < 6)).toBe(true);
    expect(
      sim.events.some((e) => e.kind === 'logon' && [5, 6].includes(Math.floor((e.time - sim.start) / 86_400_000) % 7)),
    ).toBe(true);
    const usersPerHost = new Map<string, Set<string>>();
    for (const e of sim.events)
      (usersPerHost.get(e.host) ?? usersPerHost.set(e.host, new Set()).get(e.host)!).add(e.user);
    expect(Math.max(...[...usersPerHost.values()].map((s) => s.size))).toBeGreaterThan(3);
    expect(sim.events.every((e, i) => i === 0 || sim.events[i - 1].time <= e.time)).toBe(true);
    const labelled = sim.events.filter((e) => e.label);
    expect(new Set(labelled.map((e) => e.label))).toEqual(new Set(SCENARIOS));
    expect(labelled.every((e) => e.time >= sim.attackFrom)).toBe(true);
  });

  it('keeps a case inside a period too short for its span (the real-data check trains on 12 of 19 days)', () => {
    const scenarios = [...INSIDER_SCENARIOS, ...INSIDER_SCENARIOS];
    const sim = simulate({ days: 19, users: 40, seed: 3, attackFromDay: 12, difficulty: 'hard', scenarios });
    const end = sim.start + 19 * 86_400_000;
    expect(sim.attackFrom).toBe(sim.start + 12 * 86_400_000);
    const labelled = sim.events.filter((e) => e.label);
    expect(labelled.length).toBeGreaterThan(0);
    expect(labelled.every((e) => e.time >= sim.attackFrom && e.time < end)).toBe(true);
  });
});
