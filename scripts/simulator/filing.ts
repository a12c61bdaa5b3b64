// Benign copies of patient files into new places (issue #10, item 9): the twin
// of a departing employee's first small download. Now and then staff copy a few
// of their unit's charts into a folder new to them (an audit, a handover,
// teaching, a meeting), and some have their profile synced to a cloud drive
// (known-folder redirection), so their everyday copies land in OneDrive, where
// a departing employee's would go too. Drawn from a generator of its own, so
// every other event of a seed stays as it was.
import type { PortableEventInput } from '@wardwatch/shared';
import { shiftHours, type Hospital, type Staff } from './hospital';
import type { Rng } from './rng';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Share of staff whose profile folder is synced to a cloud drive. */
export const SYNCED_SHARE = 0.3;
/** Chance, per working day, of filing charts into a folder new to the person. */
export const FILING_CHANCE = 0.03;
const PROFILE = 'C:\\Users\\me\\';
const SYNCED_PROFILE = 'C:\\Users\\me\\OneDrive\\';

/** The staff whose profile is synced. */
export function drawSyncedProfiles(hospital: Hospital, rng: Rng): Set<string> {
  return new Set(hospital.staff.filter(() => rng.chance(SYNCED_SHARE)).map((person) => person.user));
}

/** Moves the copies of synced staff that land directly in their profile into its synced folder. */
export function syncProfiles(events: PortableEventInput[], synced: ReadonlySet<string>): void {
  for (const event of events) {
    if (event.kind !== 'file_copy' || !synced.has(event.user)) continue;
    const rest = event.targetPath.startsWith(PROFILE) ? event.targetPath.slice(PROFILE.length) : null;
    if (rest !== null && !rest.includes('\\')) event.targetPath = SYNCED_PROFILE + rest;
  }
}

/** On some working days: 2–8 of the unit's charts copied into a folder new to this person. */
export function filingDay(person: Staff, dayStart: number, synced: boolean, rng: Rng): PortableEventInput[] {
  if (!rng.chance(FILING_CHANCE)) return [];
  const day = Math.floor(dayStart / DAY);
  const folder = rng.pick([
    `${PROFILE}Documents\\audit-${day}`,
    `${PROFILE}Desktop\\teaching-${day}`,
    `${PROFILE}Downloads`,
    `\\\\fs-${person.unit}\\handover\\${day}`,
    `${synced ? SYNCED_PROFILE : PROFILE}meeting-${day}`,
  ]);
  const { start, length } = shiftHours(person);
  const t0 = dayStart + (start + 1) * HOUR + rng.int((length - 2) * 60) * MINUTE;
  const base = { v: 1 as const, user: person.user, role: person.role, unit: person.unit, host: person.hosts[0] };
  return Array.from({ length: rng.range(2, 8) }, (_, i) => ({
    ...base,
    time: t0 + i * 2 * MINUTE,
    kind: 'file_copy' as const,
    path: `D:\\PHI\\${person.unit}\\${rng.int(12)}\\f${day}-${i}.pdf`,
    folderClass: 'phi' as const,
    targetPath: `${folder}\\f${day}-${i}.pdf`,
    targetFolderClass: 'other' as const,
    extension: 'pdf',
  }));
}
