// Benign returns to a place new the day before (issue #10, item 9): the twin of
// a snooper who reopens the same patient's charts and of a departing employee
// who keeps filling the same new folder. A consulted patient of another unit is
// often seen again on the next working days, and an audit or a handover folder
// is filled over several. Drawn from a generator of its own, so every other event
// of a seed stays as it was.
import type { PortableEventInput } from '@wardwatch/shared';
import { shiftHours, type Staff } from './hospital';
import type { Rng } from './rng';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Chance that a consult of another unit's patient is followed up on later working days. */
export const CONSULT_FOLLOW_UP_CHANCE = 0.4;
/** Chance that charts filed into a new folder are followed by more on later working days. */
export const FILING_FOLLOW_UP_CHANCE = 0.3;

type Copy = Extract<PortableEventInput, { kind: 'file_copy' }>;

interface Pending {
  /** The copy that started it: each day's copies are made from it. */
  copy: Copy;
  /** The source folder is kept (the same patient) or the target folder (the same audit). */
  keeps: 'source' | 'target';
  /** Working days left on which to come back. */
  days: number;
}

/** The folder a (Windows) path is in. */
export const folderOf = (path: string) => path.slice(0, path.lastIndexOf('\\'));

export class FollowUps {
  private readonly pending = new Map<string, Pending[]>();

  constructor(private readonly rng: Rng) {}

  /** Notes a working day's events of one person; some of its consults and filing will be followed up. */
  note(person: Staff, events: readonly PortableEventInput[]): void {
    const seen = new Set<string>();
    for (const event of events) {
      if (event.kind !== 'file_copy' || event.folderClass !== 'phi' || event.targetFolderClass === 'removable')
        continue;
      const consult = !event.path.startsWith(`D:\\PHI\\${person.unit}\\`);
      const key = consult ? folderOf(event.path) : folderOf(event.targetPath);
      // Only another unit's chart or a folder new for the day (dated): not the everyday letter.
      if (seen.has(key) || (!consult && !/\d$/.test(key) && !key.endsWith('Downloads'))) continue;
      seen.add(key);
      if (!this.rng.chance(consult ? CONSULT_FOLLOW_UP_CHANCE : FILING_FOLLOW_UP_CHANCE)) continue;
      const list = this.pending.get(person.user) ?? [];
      list.push({ copy: event, keeps: consult ? 'source' : 'target', days: this.rng.range(1, 2) });
      this.pending.set(person.user, list);
    }
  }

  /** The follow-ups due on this working day of the person. */
  today(person: Staff, dayStart: number): PortableEventInput[] {
    const list = this.pending.get(person.user);
    if (!list) return [];
    const { start, length } = shiftHours(person);
    const events: PortableEventInput[] = [];
    for (const item of list) {
      const t0 = dayStart + (start + 1) * HOUR + this.rng.int(Math.max(1, length - 2) * 60) * MINUTE;
      const n = item.keeps === 'source' ? this.rng.range(1, 3) : this.rng.range(2, 6);
      for (let i = 0; i < n; i++) {
        const name = `r${Math.floor(dayStart / DAY)}-${i}.pdf`;
        const source =
          item.keeps === 'source' ? folderOf(item.copy.path) : `D:\\PHI\\${person.unit}\\${this.rng.int(12)}`;
        const target = folderOf(item.copy.targetPath);
        events.push({
          ...item.copy,
          time: t0 + i * 2 * MINUTE,
          path: `${source}\\${name}`,
          targetPath: `${target}\\${name}`,
        });
      }
      item.days -= 1;
    }
    const left = list.filter((item) => item.days > 0);
    if (left.length > 0) this.pending.set(person.user, left);
    else this.pending.delete(person.user);
    return events;
  }
}
