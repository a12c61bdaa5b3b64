// Patients come and go (issue #10, item 9). The generators name a patient-data
// folder by its bed (`D:\PHI\icu\7\…`); on a real ward the bed's patient is
// discharged after a few days and the next one's chart is a folder no one has
// worked with yet. Without that, every benign folder was familiar after the
// first days, and "a folder new to this user or unit" was a clean sign of
// snooping that real wards would not give. The census is a pure function of the
// seed, unit and bed, so every other draw of a seed stays as it was.
import { fnv1a } from '@wardwatch/shared';
import { Rng } from './rng';

/** Mean length of stay, in days (acute wards: 4–6). */
export const MEAN_STAY_DAYS = 5;

const BED_FOLDER = /^(D:\\PHI\\[^\\]+\\)(\d+)(?=\\)/;

export class Census {
  /** The patient of a bed on a day, once worked out. */
  private readonly known = new Map<string, string>();

  constructor(private readonly seed: number) {}

  /** The folder name of the patient in this bed on this day: bed and stay, e.g. `7-3`. */
  patient(unit: string, bed: number, day: number): string {
    const key = `${unit}\u0000${bed}`;
    const cached = this.known.get(`${key}\u0000${day}`);
    if (cached) return cached;
    // Stays drawn from the bed's own generator, from a first one that began before day 0.
    const rng = new Rng(this.seed ^ fnv1a(key));
    let start = -rng.int(MEAN_STAY_DAYS * 2);
    let stay = 0;
    for (;;) {
      const length = 1 + Math.floor(-Math.log(1 - rng.next()) * (MEAN_STAY_DAYS - 1));
      if (start + length > day) break;
      start += length;
      stay += 1;
    }
    const name = `${bed}-${stay}`;
    this.known.set(`${key}\u0000${day}`, name);
    return name;
  }

  /** The path with its bed folder named after the bed's patient on `day` (other paths as they are). */
  admit(path: string, day: number): string {
    const match = BED_FOLDER.exec(path);
    if (!match) return path;
    const unit = match[1].slice('D:\\PHI\\'.length, -1);
    return `${match[1]}${this.patient(unit, Number(match[2]), day)}${path.slice(match[0].length)}`;
  }
}
