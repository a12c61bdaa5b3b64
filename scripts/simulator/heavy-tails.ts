// The hard hospital (issue #10, item 9): benign behaviour with the heavy tails
// real fleets have, so that an evaluation cannot pass by flagging anything
// unusual. Per person a few traits (float pool on many machines, a role that
// uses USB daily, on-call nights, a vacation); per day extra behaviour on top
// of benignDay: more moves, support visits, overtime, evening catch-up, typo
// bursts, consults of another unit's charts, new programs and rollouts.
import type { PortableEventInput } from '@wardwatch/shared';
import { shiftHours, type Hospital, type Staff } from './hospital';
import type { Rng } from './rng';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export interface Traits {
  /** Float pool / residents / IT: workstations of several units, many logons a day. */
  floater: boolean;
  /** Imaging, transfers, scanning: removable media on most working days, patient files included. */
  usbDaily: boolean;
  /** Physicians on call: short logons in the small hours on some days off. */
  onCall: boolean;
  /** A block of days off (day indexes, end exclusive). */
  vacation: [number, number] | null;
}

/** Draws every person's traits (from a separate generator, so the classic hospital stays as it was). */
export function drawTraits(hospital: Hospital, days: number, rng: Rng): Map<string, Traits> {
  const clinical = hospital.units.filter((u) => !['it', 'admissions', 'pharmacy'].includes(u));
  const traits = new Map<string, Traits>();
  for (const person of hospital.staff) {
    const floater = person.role === 'it' ? true : ['nurse', 'physician'].includes(person.role) && rng.chance(0.15);
    if (floater) {
      const others = [...clinical].sort(() => rng.next() - 0.5).slice(0, person.role === 'it' ? 4 : 2);
      person.hosts = [...new Set([...person.hosts, ...others.flatMap((u) => hospital.hostsByUnit[u])])];
    }
    const usbDaily =
      (person.role === 'physician' && rng.chance(0.2)) ||
      (person.role === 'clerk' && rng.chance(0.15)) ||
      (person.role === 'it' && rng.chance(0.5));
    const onCall = person.role === 'physician' && rng.chance(0.4);
    const from = rng.int(Math.max(1, days - 10));
    const vacation: [number, number] | null = rng.chance(0.35) ? [from, from + 5 + rng.int(6)] : null;
    traits.set(person.user, { floater, usbDaily, onCall, vacation });
  }
  return traits;
}

/** Fleet-wide software rollouts: on these days many people run a program new to everyone. */
export function rolloutDays(days: number, rng: Rng): Map<number, string> {
  const out = new Map<number, string>();
  for (let d = 5 + rng.int(5); d < days; d += 9 + rng.int(8)) out.set(d, `C:\\Apps\\update-${d}.exe`);
  return out;
}

const EXTRA_PROGRAMS = [
  'C:\\Apps\\teams.exe',
  'C:\\Apps\\acrobat.exe',
  'C:\\Apps\\zoom.exe',
  'C:\\Apps\\snip.exe',
  'C:\\Apps\\7zip.exe',
  'C:\\Apps\\vlc.exe',
  'C:\\Apps\\dicom-burner.exe',
  'C:\\Apps\\labels.exe',
];

const who = (p: Staff) => ({ v: 1 as const, user: p.user, role: p.role, unit: p.unit });

/** Behaviour beyond the ordinary day of someone who works on `day`. */
export function heavyTailDay(
  person: Staff,
  traits: Traits,
  dayStart: number,
  rollout: string | undefined,
  hospital: Hospital,
  rng: Rng,
): PortableEventInput[] {
  const { start, length } = shiftHours(person);
  const begin = dayStart + start * HOUR;
  const at = (from: number, span: number) => Math.round(from + rng.next() * span);
  const base = who(person);
  const events: PortableEventInput[] = [];
  // Floaters and IT: several more workstations in the day.
  if (traits.floater) {
    for (let i = rng.range(1, 4); i > 0; i--) {
      const t = at(begin, length * HOUR);
      const host = rng.pick(person.hosts);
      events.push({ ...base, time: t, host, kind: 'logon', method: rng.chance(0.3) ? 'badge' : 'password' });
      events.push({ ...base, time: t + 2 * MINUTE, host, kind: 'process_start', executable: 'C:\\EHR\\ehr.exe' });
      if (person.role === 'it')
        events.push({ ...base, time: t + 5 * MINUTE, host, kind: 'privilege_use', service: 'runas' });
      events.push({ ...base, time: t + rng.range(10, 60) * MINUTE, host, kind: 'logoff' });
    }
  }
  // Removable media as part of the job: images burnt for transfers, scans, installers.
  if (traits.usbDaily && rng.chance(0.65)) {
    const t = at(begin + HOUR, (length - 2) * HOUR);
    const host = rng.pick(person.hosts);
    events.push({ ...base, time: t, host, kind: 'device_connect', deviceType: 'usb-storage', removable: true });
    const phi = rng.chance(0.6);
    for (let i = 0, n = rng.range(2, 30); i < n; i++) {
      events.push(
        phi
          ? {
              ...base,
              time: t + (i + 1) * 30_000,
              host,
              kind: 'file_copy',
              path: `D:\\PHI\\${person.unit}\\${rng.int(12)}\\img${rng.int(100000)}.dcm`,
              folderClass: 'phi',
              targetPath: `E:\\transfer\\img${i}.dcm`,
              targetFolderClass: 'removable',
              extension: 'dcm',
            }
          : {
              ...base,
              time: t + (i + 1) * 30_000,
              host,
              kind: 'file_create',
              path: `E:\\scan${i}.pdf`,
              folderClass: 'removable',
              extension: 'pdf',
            },
      );
    }
    events.push({
      ...base,
      time: t + 25 * MINUTE,
      host,
      kind: 'device_disconnect',
      deviceType: 'usb-storage',
      removable: true,
    });
  }
  // Overtime, or an evening catch-up from the office.
  if (rng.chance(person.shift === 'office' ? 0.06 : 0.1)) {
    const t = begin + length * HOUR + rng.range(30, 180) * MINUTE;
    const host = rng.pick(person.hosts);
    events.push({ ...base, time: t, host, kind: 'logon', method: 'password' });
    for (let i = rng.range(1, 6); i > 0; i--)
      events.push({
        ...base,
        time: t + i * 3 * MINUTE,
        host,
        kind: 'file_write',
        path: `D:\\PHI\\${person.unit}\\${rng.int(12)}\\note${rng.int(100000)}.docx`,
        folderClass: 'phi',
        extension: 'docx',
        entropy: 4.5,
      });
    events.push({ ...base, time: t + 40 * MINUTE, host, kind: 'logoff' });
  }
  // Typo bursts: caps lock, an expired password, a new keyboard layout.
  if (rng.chance(0.03)) {
    const t = at(begin, HOUR);
    const host = rng.pick(person.hosts);
    for (let i = rng.range(3, 8); i > 0; i--)
      events.push({ ...base, time: t + i * 15_000, host, kind: 'failed_logon', method: 'password' });
  }
  // Consults: a few charts of another unit's patients, for a reason.
  if (['physician', 'pharmacist'].includes(person.role) && rng.chance(0.12)) {
    const unit = rng.pick(hospital.units.filter((u) => u !== person.unit && u !== 'it'));
    const t = at(begin, length * HOUR);
    for (let i = rng.range(1, 5); i > 0; i--)
      events.push({
        ...base,
        time: t + i * MINUTE,
        host: person.hosts[0],
        kind: 'file_copy',
        path: `D:\\PHI\\${unit}\\${rng.int(12)}\\consult${i}.pdf`,
        folderClass: 'phi',
        targetPath: `C:\\Users\\me\\consult${i}.pdf`,
        targetFolderClass: 'other',
        extension: 'pdf',
      });
  }
  // New programs: a rollout to many, and the odd personal one.
  const programs: string[] = [];
  if (rollout && rng.chance(0.5)) programs.push(rollout);
  if (rng.chance(0.06)) programs.push(rng.pick(EXTRA_PROGRAMS));
  for (const executable of programs)
    events.push({ ...base, time: at(begin, length * HOUR), host: person.hosts[0], kind: 'process_start', executable });
  return events;
}

/** Physicians on call: a short logon in the small hours on a day off, sometimes on another unit's machine. */
export function onCallNight(person: Staff, dayStart: number, rng: Rng): PortableEventInput[] {
  const t = dayStart + rng.range(0, 4) * HOUR + rng.int(60) * MINUTE;
  const host = rng.pick(person.hosts);
  const base = { ...who(person), host };
  return [
    { ...base, time: t, kind: 'logon', method: 'password' },
    { ...base, time: t + 2 * MINUTE, kind: 'process_start', executable: 'C:\\EHR\\ehr.exe' },
    {
      ...base,
      time: t + 10 * MINUTE,
      kind: 'file_write',
      path: `D:\\PHI\\${person.unit}\\${rng.int(12)}\\oncall.docx`,
      folderClass: 'phi',
      extension: 'docx',
      entropy: 4.5,
    },
    { ...base, time: t + 30 * MINUTE, kind: 'logoff' },
  ];
}
