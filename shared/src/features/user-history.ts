// What the feature extractor remembers about each user between windows: the
// hours they work, the workstations, programs and network destinations they
// have used, and the sessions they have open. Bounded per user so a noisy
// account cannot grow memory without limit: past the bound the least recently
// used are forgotten (a place not used for long is new again), never the new
// ones, so a user with years of patients and web addresses keeps learning.

import { RecentMap, RecentSet } from '../collections/recent-map';
import { DECAYED_SUMS } from './feature-definitions';
import { DecayedSums, RareEventCounts } from './rarity';

/** Items of one kind remembered per user (at least half of them the most recently used). */
export const MAX_REMEMBERED_ITEMS = 5_000;
/** Below this many active hours of history a user's own hour profile is not trusted. */
export const MIN_HOUR_HISTORY = 30;
export const SESSION_MAX_AGE_MS = 12 * 3_600_000;
/** A place new to a user stays "new" this long: coming back to it within is a return. */
export const PLACE_RETURN_MS = 7 * 86_400_000;

export interface HourRange {
  from: number;
  /** Exclusive end hour (0–24); wraps past midnight when from > to. */
  to: number;
}

export class HourProfile {
  readonly counts = new Float64Array(24);
  total = 0;

  add(hour: number, weight = 1): void {
    this.counts[hour] += weight;
    this.total += weight;
  }

  /** Laplace-smoothed share of activity in this hour. */
  probability(hour: number): number {
    return (this.counts[hour] + 0.5) / (this.total + 12);
  }

  /** The shortest run of hours (wrapping midnight) holding `coverage` of activity. */
  usualHours(coverage = 0.9): HourRange | null {
    if (this.total <= 0) return null;
    let best: HourRange | null = null;
    for (let length = 1; length <= 24 && !best; length++) {
      for (let from = 0; from < 24; from++) {
        let sum = 0;
        for (let k = 0; k < length; k++) sum += this.counts[(from + k) % 24];
        if (sum >= coverage * this.total) {
          best = { from, to: (from + length) % 24 === 0 && length === 24 ? 24 : (from + length) % 24 };
          break;
        }
      }
    }
    return best;
  }
}

/** Places (folders) new to a user when first used, each kept PLACE_RETURN_MS from the window it was first used in. */
export class NewPlaces {
  private readonly firstUsed = new Map<string, number>();

  /**
   * True when one of a window's places was new to the user in an earlier window of the last
   * PLACE_RETURN_MS; the window's places that are new now are remembered from its start.
   */
  returnsTo(places: Iterable<string>, isNew: (place: string) => boolean, start: number): boolean {
    for (const [place, first] of this.firstUsed) if (start - first > PLACE_RETURN_MS) this.firstUsed.delete(place);
    let returned = false;
    for (const place of places) {
      const first = this.firstUsed.get(place);
      if (first !== undefined) returned ||= first < start;
      else if (isNew(place) && this.firstUsed.size < MAX_REMEMBERED_ITEMS) this.firstUsed.set(place, start);
    }
    return returned;
  }
}

export class UserHistory {
  readonly hours = new HourProfile();
  /** Windows with each first-time event (rarity.ts), and the decayed sums of the last days. */
  readonly rare = new RareEventCounts();
  readonly decayed = new DecayedSums(DECAYED_SUMS.length);
  /** Patient-data folders touched, with the number of windows each was touched in. */
  readonly phiFolders = new RecentMap<string, number>(MAX_REMEMBERED_ITEMS);
  /** Workstations where this user used removable media. */
  readonly removableHosts = remembered();
  /**
   * Types (extensions) of patient-data files this user put on removable media: imaging staff burn
   * images every day, and their first export of charts is what stands out.
   */
  readonly removablePhiTypes = remembered();
  readonly hosts = remembered();
  readonly processes = remembered();
  readonly destinations = remembered();
  /** Folders (not removable media) this user copied patient data into. */
  readonly copyTargets = remembered();
  /** Other units' patient folders, and folders patient data was copied into, new to the user lately. */
  readonly newForeignFolders = new NewPlaces();
  readonly newCopyTargets = new NewPlaces();
  /** Host → time of the logon that opened a session there. */
  readonly openSessions = new Map<string, number>();
  /** Closed windows in which the user was active. */
  windows = 0;
  /** Local hour at which the user's day window begins (day-boundary.ts). */
  dayBoundaryHour = 0;
  role: string | undefined;
  unit: string | undefined;

  /** Items used in a window: remembered, or kept as recently used. */
  remember(set: RecentSet<string>, items: Iterable<string>): void {
    for (const item of items) set.add(item);
  }

  /** Counts one more window for each item. */
  count(map: RecentMap<string, number>, items: Iterable<string>): void {
    for (const item of items) map.set(item, (map.get(item) ?? 0) + 1);
  }

  /** Records a logon and returns the number of workstations with a session open now. */
  openSession(host: string, time: number): number {
    for (const [other, since] of this.openSessions) {
      if (time - since > SESSION_MAX_AGE_MS) this.openSessions.delete(other);
    }
    this.openSessions.set(host, time);
    return this.openSessions.size;
  }

  closeSession(host: string): void {
    this.openSessions.delete(host);
  }
}

function remembered(): RecentSet<string> {
  return new RecentSet<string>(MAX_REMEMBERED_ITEMS);
}

export function formatHour(hour: number): string {
  return `${String(hour % 24).padStart(2, '0')}:00`;
}

export function formatHourRange(range: HourRange): string {
  return `${formatHour(range.from)}–${range.to === 24 ? '24:00' : formatHour(range.to)}`;
}

/** True when `hour` lies in the range (which may wrap past midnight). */
export function inHourRange(range: HourRange, hour: number): boolean {
  if (range.to === 24 && range.from === 0) return true;
  return range.from < range.to ? hour >= range.from && hour < range.to : hour >= range.from || hour < range.to;
}
