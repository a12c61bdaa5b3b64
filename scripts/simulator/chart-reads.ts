// Benign chart reading (issue #10, item 9): where the site audits reads of its
// patient-data folders, the live agent reports every chart opened
// (agent/src/collectors/reads/), and staff open charts all day: a clerk dozens,
// a nurse her patients', a physician on rounds. Most are of the person's own
// unit; now and then one of another unit's patients (a transfer, a float shift, a
// medication review), pharmacists more often. Without these, the snooper's reads
// would be the only reads of a week. Drawn from a generator of its own, so every
// other event of a seed stays as it was.
import type { PortableEventInput } from '@wardwatch/shared';
import { shiftHours, type Hospital, type Role, type Staff } from './hospital';
import type { Rng } from './rng';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** Charts opened on a working day, on average, by role. */
export const READS_PER_DAY: Record<Role, number> = { clerk: 30, nurse: 15, physician: 20, pharmacist: 12, it: 0.3 };
/** Chance, per working day, of opening another unit's patient's charts. */
export const FOREIGN_CHANCE: Record<Role, number> = {
  clerk: 0.05,
  nurse: 0.05,
  physician: 0.08,
  pharmacist: 0.15,
  it: 0.01,
};
/** Beds (patient folders) per unit, as in the rest of the simulator. */
const BEDS = 12;

/** One working day's charts opened by this person, inside their shift. */
export function chartReadsDay(person: Staff, dayStart: number, hospital: Hospital, rng: Rng): PortableEventInput[] {
  const { start, length } = shiftHours(person);
  const base = { v: 1 as const, user: person.user, role: person.role, unit: person.unit };
  const read = (unit: string, bed: number, chart: number, time: number): PortableEventInput => ({
    ...base,
    time,
    host: rng.pick(person.hosts),
    kind: 'file_read',
    path: `D:\\PHI\\${unit}\\${bed}\\chart${chart}.pdf`,
    folderClass: 'phi',
    extension: 'pdf',
  });
  const inShift = () => dayStart + start * HOUR + rng.int(length * 60) * MINUTE;
  const events = Array.from({ length: rng.poisson(READS_PER_DAY[person.role]) }, () =>
    read(person.unit, rng.int(BEDS), rng.int(8), inShift()),
  );
  if (rng.chance(FOREIGN_CHANCE[person.role])) {
    const unit = rng.pick(hospital.units.filter((u) => u !== person.unit && u !== 'it'));
    const bed = rng.int(BEDS);
    const t = inShift();
    for (let i = rng.range(1, 4); i > 0; i--) events.push(read(unit, bed, i, t + i * MINUTE));
  }
  return events;
}
