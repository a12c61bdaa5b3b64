// Benign web use (issue #10, item 9): staff look things up (drug references,
// suppliers' portals, the news), so most working days reach an external address
// the workstation never contacted before. Without it, a departing employee's
// one connection to a cloud service was the only new external address of a
// whole week, and `new_net_destinations` separated it for free, which no real
// hospital network does. The sites are drawn by popularity (a few are visited by
// everyone, most by few) from the same documentation ranges the insiders'
// destinations come from. Drawn from a generator of its own, so every other
// event of a seed stays as it was.
import type { PortableEventInput } from '@wardwatch/shared';
import { shiftHours, type Staff } from './hospital';
import type { Rng } from './rng';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** Sites looked up on a working day, on average. */
const SITES_PER_DAY = 2;
const RANGES = ['198.51.100', '203.0.113', '192.0.2'];
/** Distinct external sites in the hospital's traffic: 250 addresses of each range. */
const SITE_COUNT = 250 * RANGES.length;

/** The i-th most popular external site. */
function site(i: number): string {
  return `${RANGES[i % RANGES.length]}.${1 + Math.floor(i / RANGES.length)}`;
}

/** A popular site is picked far more often than a rare one: rank k about as often as 1/k (⌊e^(u·ln n)⌋ − 1). */
function popularSite(rng: Rng): number {
  return Math.floor(Math.exp(rng.next() * Math.log(SITE_COUNT))) - 1;
}

/** One working day's web lookups from the person's workstations, inside their shift. */
export function browsingDay(person: Staff, dayStart: number, rng: Rng): PortableEventInput[] {
  const { start, length } = shiftHours(person);
  const base = { v: 1 as const, user: person.user, role: person.role, unit: person.unit };
  return Array.from({ length: rng.poisson(SITES_PER_DAY) }, () => ({
    ...base,
    time: dayStart + start * HOUR + rng.int(length * 60) * MINUTE,
    host: rng.pick(person.hosts),
    kind: 'net_connect' as const,
    remoteAddress: site(popularSite(rng)),
    remotePort: 443,
  }));
}
