import { describe, expect, it } from 'vitest';
import type { PortableEvent } from '@wardwatch/shared';
import { simulate } from './simulate';

type NetConnect = Extract<PortableEvent, { kind: 'net_connect' }>;
const external = (e: PortableEvent): e is NetConnect => e.kind === 'net_connect' && !e.remoteAddress.startsWith('10.');
const DAY = 86_400_000;

describe('web use in the hard hospital', () => {
  it('reaches an external address new to the person on many of their days after the first weeks', () => {
    const sim = simulate({ days: 30, users: 60, seed: 7, difficulty: 'hard', scenarios: [] });
    const seen = new Map<string, Set<string>>();
    const daysWithNew = new Set<string>();
    const daysAtWork = new Set<string>();
    for (const e of sim.events) {
      const day = Math.floor((e.time - sim.start) / DAY);
      if (e.kind === 'logon' && day >= 20) daysAtWork.add(`${e.user} ${day}`);
      if (!external(e)) continue;
      const sites = seen.get(e.user) ?? seen.set(e.user, new Set()).get(e.user)!;
      if (!sites.has(e.remoteAddress) && day >= 20) daysWithNew.add(`${e.user} ${day}`);
      sites.add(e.remoteAddress);
    }
    // Popular sites are known by then; the rare ones keep coming on a good share of days.
    expect(daysWithNew.size / daysAtWork.size).toBeGreaterThan(0.3);
    expect(daysWithNew.size / daysAtWork.size).toBeLessThan(0.9);
  });

  it("reaches the ranges the insiders' destinations come from, and leaves the classic hospital without it", () => {
    const hard = simulate({ days: 10, users: 30, seed: 3, difficulty: 'hard', scenarios: [] });
    const ranges = new Set(hard.events.filter(external).map((e) => e.remoteAddress.split('.').slice(0, 3).join('.')));
    expect([...ranges].sort()).toEqual(['192.0.2', '198.51.100', '203.0.113']);
    const classic = simulate({ days: 10, users: 30, seed: 3, scenarios: [] });
    expect(classic.events.some(external)).toBe(false);
  });
});
