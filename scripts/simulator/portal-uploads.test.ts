import { describe, expect, it } from 'vitest';
import type { PortableEvent } from '@wardwatch/shared';
import { simulate } from './simulate';

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** Per person and day, the external addresses contacted within an hour after they copied patient data. */
function uploads(events: PortableEvent[], start: number): Map<string, Set<string>> {
  const lastCopy = new Map<string, number>();
  const out = new Map<string, Set<string>>();
  for (const e of events) {
    if (e.kind === 'file_copy' && e.folderClass === 'phi' && e.targetFolderClass === 'other')
      lastCopy.set(e.user, e.time);
    if (e.kind !== 'net_connect' || e.remoteAddress.startsWith('10.')) continue;
    const copied = lastCopy.get(e.user);
    if (copied === undefined || e.time - copied > HOUR) continue;
    const key = `${e.user} ${Math.floor((e.time - start) / DAY)}`;
    (out.get(key) ?? out.set(key, new Set()).get(key)!).add(e.remoteAddress);
  }
  return out;
}

describe('benign uploads of charts to outside portals', () => {
  it('send charts to an address minutes after copying them, to a new one on some days and again on the next', () => {
    const sim = simulate({ days: 40, users: 120, seed: 5, difficulty: 'hard', scenarios: [] });
    const days = uploads(sim.events, sim.start);
    const seen = new Map<string, Set<string>>();
    let newAfterCopy = 0;
    let newThenAgain = 0;
    for (const [key, addresses] of [...days].sort(([a], [b]) => Number(a.split(' ')[1]) - Number(b.split(' ')[1]))) {
      const [user, day] = key.split(' ');
      const known = seen.get(user) ?? seen.set(user, new Set()).get(user)!;
      for (const address of addresses) {
        if (known.has(address)) continue;
        newAfterCopy += 1;
        if ([1, 2, 3].some((k) => days.get(`${user} ${Number(day) + k}`)?.has(address))) newThenAgain += 1;
      }
      for (const address of addresses) known.add(address);
    }
    // Portal users' routine uploads: many person-days; new destinations reached right after
    // copies, some of them again within days (a patient transfer): the departing employee's twin.
    expect(days.size).toBeGreaterThan(200);
    expect(newAfterCopy).toBeGreaterThan(120);
    expect(newThenAgain).toBeGreaterThan(15);
  });

  it('leaves the classic hospital without them', () => {
    const classic = simulate({ days: 10, users: 30, seed: 3, scenarios: [] });
    expect(uploads(classic.events, classic.start).size).toBe(0);
  });
});
