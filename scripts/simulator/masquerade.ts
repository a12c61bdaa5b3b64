// Masquerade (issue #10, item 5): a stolen credential used by someone else. The
// owner's password is used from another unit's workstation, outside the owner's
// shift, with the intruder's own programs, reading a few patient files; on two
// working days. Quiet: below every rule's threshold, one workstation at a time.
import type { PortableEventInput } from '@wardwatch/shared';
import { shiftHours, type Hospital } from './hospital';
import type { Rng } from './rng';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const MASQUERADE_SCENARIOS = ['account_takeover'] as const;
export type MasqueradeScenario = (typeof MASQUERADE_SCENARIOS)[number];
/** Days the case spans after its first day (the simulator keeps it inside the period). */
export const MASQUERADE_SPAN_DAYS = 3;

/** Programs an intruder runs that a clinician's account seldom does. */
const INTRUDER_PROGRAMS = [
  'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
  'C:\\Office\\excel.exe',
  'C:\\Apps\\pacs-viewer.exe',
  'C:\\Apps\\pharmacy.exe',
  'C:\\Apps\\putty.exe',
];

const accountTakeover = (h: Hospital, dayStart: number, rng: Rng): PortableEventInput[] => {
  const clinical = h.staff.filter((s) => s.role !== 'it');
  const owner = rng.pick(clinical.length > 0 ? clinical : h.staff);
  const units = h.units.filter((u) => u !== owner.unit && u !== 'it');
  const unit = rng.pick(units.length > 0 ? units : h.units);
  const { start, length } = shiftHours(owner);
  const base = { v: 1 as const, user: owner.user, role: owner.role, unit: owner.unit, label: 'account_takeover' };
  const events: PortableEventInput[] = [];
  for (const offset of [0, 1 + rng.int(MASQUERADE_SPAN_DAYS - 1)]) {
    // Some hours after the owner's shift ends, so the owner is not at work.
    const t0 = dayStart + offset * DAY + (start + length + 2 + rng.int(4)) * HOUR + rng.int(60) * MINUTE;
    const host = rng.pick(h.hostsByUnit[unit]);
    const at = { ...base, host };
    events.push({ ...at, time: t0, kind: 'logon', method: 'password' });
    const programs = [...INTRUDER_PROGRAMS].sort(() => rng.next() - 0.5).slice(0, 2 + rng.int(2));
    programs.forEach((executable, i) =>
      events.push({ ...at, time: t0 + (i + 1) * MINUTE, kind: 'process_start', executable }),
    );
    for (let i = 0, n = rng.range(4, 9); i < n; i++)
      events.push({
        ...at,
        time: t0 + (5 + 3 * i) * MINUTE,
        kind: 'file_copy',
        path: `D:\\PHI\\${owner.unit}\\${rng.int(12)}\\chart${i}.pdf`,
        folderClass: 'phi',
        targetPath: `C:\\Users\\Public\\c${i}.pdf`,
        targetFolderClass: 'other',
        extension: 'pdf',
      });
    events.push({ ...at, time: t0 + 45 * MINUTE, kind: 'logoff' });
  }
  return events;
};

export const MASQUERADE_MAKERS: Record<
  MasqueradeScenario,
  (h: Hospital, dayStart: number, rng: Rng) => PortableEventInput[]
> = {
  account_takeover: accountTakeover,
};
