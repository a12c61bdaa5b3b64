import { describe, expect, it } from 'vitest';
import type { PortableEvent } from '@wardwatch/shared';
import { simulate } from './simulate';

type Read = Extract<PortableEvent, { kind: 'file_read' }>;
const reads = (events: PortableEvent[]) => events.filter((e): e is Read => e.kind === 'file_read');
const unitOf = (path: string) => path.split('\\')[2];

describe('chart reading in the hard hospital', () => {
  const sim = simulate({ days: 14, users: 80, seed: 5, difficulty: 'hard', scenarios: [] });
  const staff = new Map(sim.hospital.staff.map((s) => [s.user, s]));

  it("has staff open their own unit's charts every working day, clerks most, IT hardly", () => {
    const byRole = new Map<string, number>();
    for (const e of reads(sim.events)) {
      const role = staff.get(e.user)!.role;
      byRole.set(role, (byRole.get(role) ?? 0) + 1);
    }
    const perPerson = (role: string) =>
      (byRole.get(role) ?? 0) / sim.hospital.staff.filter((s) => s.role === role).length;
    expect(perPerson('clerk')).toBeGreaterThan(perPerson('nurse'));
    expect(perPerson('nurse')).toBeGreaterThan(50);
    expect(perPerson('it')).toBeLessThan(5);
  });

  it("has some open another unit's patient's charts, not most", () => {
    const all = reads(sim.events);
    const foreign = all.filter((e) => unitOf(e.path) !== staff.get(e.user)!.unit);
    expect(foreign.length).toBeGreaterThan(10);
    expect(foreign.length / all.length).toBeLessThan(0.05);
    expect(new Set(foreign.map((e) => e.user)).size).toBeGreaterThan(5);
  });

  it('leaves the classic hospital without reads', () => {
    expect(reads(simulate({ days: 5, users: 30, seed: 5, scenarios: [] }).events)).toEqual([]);
  });
});
