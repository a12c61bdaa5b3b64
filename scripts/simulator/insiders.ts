// Quiet insiders shaped like published insider cases (CERT insider-threat
// scenarios, HHS breach reports): below every rule threshold, mostly inside
// working hours, spread over days, by people whose job gives them the access.
// Every event carries its scenario's label; every day of a multi-day case is a
// positive user-day.
import type { PortableEventInput } from '@wardwatch/shared';
import { shiftHours, type Hospital, type Staff } from './hospital';
import type { Traits } from './heavy-tails';
import type { Rng } from './rng';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const INSIDER_SCENARIOS = [
  'usb_theft_over_days',
  'first_usb_after_hours',
  'departing_gradual',
  'admin_copy_from_colleagues',
  'ehr_snooping',
] as const;
export type InsiderScenario = (typeof INSIDER_SCENARIOS)[number];
/** Days a case may span after its first day (the simulator keeps them inside the period). */
export const INSIDER_SPAN_DAYS = 9;

export interface ScenarioContext {
  /** Day index of `dayStart` (0 = the simulation's first Monday). */
  day: number;
  traits?: Map<string, Traits>;
}

export type MakeInsider = (h: Hospital, dayStart: number, rng: Rng, ctx: ScenarioContext) => PortableEventInput[];

const who = (p: Staff, label: InsiderScenario) => ({ v: 1 as const, user: p.user, role: p.role, unit: p.unit, label });

/** Someone of these roles without a job reason for removable media (anyone if none). */
function cast(
  h: Hospital,
  rng: Rng,
  ctx: ScenarioContext,
  roles: Staff['role'][],
  noUsb = true,
  dayWorker = false,
): Staff {
  const fit = h.staff.filter(
    (s) =>
      roles.includes(s.role) && !(noUsb && ctx.traits?.get(s.user)?.usbDaily) && !(dayWorker && s.shift === 'night'),
  );
  return rng.pick(fit.length > 0 ? fit : h.staff);
}

/** The next `n` days from `day` on which this person is on their rota (weekdays for office staff). */
function workingDays(p: Staff, day: number, n: number): number[] {
  const out: number[] = [];
  for (let d = day; out.length < n && d < day + INSIDER_SPAN_DAYS + 1; d++) {
    const on = p.shift === 'office' ? d % 7 < 5 : (d + p.rota) % 7 < 4;
    if (on) out.push(d);
  }
  return out;
}

/** A time inside the person's shift on that day, `from`–`to` hours after it starts. */
function inShift(p: Staff, dayStart: number, rng: Rng, from = 2, to = 7): number {
  return dayStart + (shiftHours(p).start + from) * HOUR + rng.int((to - from) * 60) * MINUTE;
}

type Base = ReturnType<typeof who> & { host: string };

function copies(
  base: Base,
  t0: number,
  n: number,
  source: (i: number) => string,
  target: (i: number) => string,
  targetFolderClass: 'removable' | 'other',
  gap = 90_000,
): PortableEventInput[] {
  return Array.from({ length: n }, (_, i) => ({
    ...base,
    time: t0 + (i + 1) * gap,
    kind: 'file_copy' as const,
    path: source(i),
    folderClass: 'phi' as const,
    targetPath: target(i),
    targetFolderClass,
    extension: 'pdf',
  }));
}

/** CERT scenario 2 style: a few files a day to a USB stick, in working hours, on the usual machine, for a week. */
const usbTheftOverDays: MakeInsider = (h, dayStart, rng, ctx) => {
  const p = cast(h, rng, ctx, ['nurse', 'clerk', 'pharmacist']);
  const events: PortableEventInput[] = [];
  for (const d of workingDays(p, ctx.day, 5)) {
    const start = dayStart + (d - ctx.day) * DAY;
    const t0 = inShift(p, start, rng);
    const base = { ...who(p, 'usb_theft_over_days'), host: p.hosts[0] };
    events.push({ ...base, time: t0, kind: 'device_connect', deviceType: 'usb-storage', removable: true });
    const n = rng.range(5, 10);
    events.push(
      ...copies(
        base,
        t0,
        n,
        (i) => `D:\\PHI\\${p.unit}\\${rng.int(12)}\\p${d}-${i}.pdf`,
        (i) => `E:\\d${d}\\${i}.pdf`,
        'removable',
      ),
    );
    events.push({
      ...base,
      time: t0 + (n + 2) * 90_000,
      kind: 'device_disconnect',
      deviceType: 'usb-storage',
      removable: true,
    });
  }
  return events;
};

/** A first-ever removable device, an hour or two after the shift, on the usual machine. */
const firstUsbAfterHours: MakeInsider = (h, dayStart, rng, ctx) => {
  const p = cast(h, rng, ctx, ['nurse', 'clerk', 'pharmacist', 'physician'], true, true);
  const d = workingDays(p, ctx.day, 1)[0] ?? ctx.day;
  const { start, length } = shiftHours(p);
  const t0 = dayStart + (d - ctx.day) * DAY + (start + length + 1) * HOUR + rng.int(60) * MINUTE;
  const base = { ...who(p, 'first_usb_after_hours'), host: p.hosts[0] };
  const n = rng.range(8, 15);
  return [
    { ...base, time: t0, kind: 'logon', method: 'password' },
    { ...base, time: t0 + MINUTE, kind: 'device_connect', deviceType: 'usb-storage', removable: true },
    ...copies(
      base,
      t0,
      n,
      (i) => `D:\\PHI\\${p.unit}\\${rng.int(12)}\\a${i}.pdf`,
      (i) => `E:\\${i}.pdf`,
      'removable',
      60_000,
    ),
    { ...base, time: t0 + (n + 3) * MINUTE, kind: 'logoff' },
  ];
};

/** A departing employee's gradual download: a growing number of charts a day to a personal folder and a sync service. */
const departingGradual: MakeInsider = (h, dayStart, rng, ctx) => {
  const p = cast(h, rng, ctx, ['clerk', 'physician', 'nurse'], false);
  const events: PortableEventInput[] = [];
  const cloud = `203.0.113.${1 + rng.int(250)}`;
  workingDays(p, ctx.day, 6).forEach((d, k) => {
    const t0 = inShift(p, dayStart + (d - ctx.day) * DAY, rng);
    const base = { ...who(p, 'departing_gradual'), host: p.hosts[0] };
    const n = 3 + 2 * k + rng.int(3);
    events.push(
      ...copies(
        base,
        t0,
        n,
        (i) => `D:\\PHI\\${p.unit}\\${rng.int(12)}\\g${d}-${i}.pdf`,
        (i) => `C:\\Users\\me\\OneDrive\\${d}-${i}.pdf`,
        'other',
        4 * MINUTE,
      ),
    );
    events.push({
      ...base,
      time: t0 + (n + 1) * 4 * MINUTE,
      kind: 'net_connect',
      remoteAddress: cloud,
      remotePort: 443,
    });
  });
  return events;
};

/** An administrator copying charts from colleagues' machines during a support round. */
const adminCopyFromColleagues: MakeInsider = (h, dayStart, rng, ctx) => {
  const p = cast(h, rng, ctx, ['it'], false);
  const events: PortableEventInput[] = [];
  for (const [k, d] of workingDays(p, ctx.day, 2).entries()) {
    const unit = rng.pick(h.units.filter((u) => !['it', 'pharmacy', 'admissions'].includes(u)));
    const host = rng.pick(h.hostsByUnit[unit]);
    const t0 = inShift(p, dayStart + (d - ctx.day) * DAY, rng);
    const base = { ...who(p, 'admin_copy_from_colleagues'), host };
    events.push({ ...base, time: t0, kind: 'logon', method: 'password' });
    events.push({ ...base, time: t0 + MINUTE, kind: 'privilege_use', service: 'runas' });
    const n = rng.range(10, 18);
    events.push(
      ...copies(
        base,
        t0,
        n,
        (i) => `D:\\PHI\\${unit}\\${rng.int(12)}\\c${k}-${i}.pdf`,
        (i) => `\\\\fs-it\\scratch\\${k}-${i}.pdf`,
        'other',
        40_000,
      ),
    );
    events.push({ ...base, time: t0 + 30 * MINUTE, kind: 'logoff' });
  }
  return events;
};

/**
 * EHR snooping: a handful of charts of another unit's patient (a celebrity, an ex) opened on three
 * days, nothing copied: only read, as the live agent sees it where reads are audited.
 */
const ehrSnooping: MakeInsider = (h, dayStart, rng, ctx) => {
  const p = cast(h, rng, ctx, ['clerk', 'nurse', 'pharmacist'], false);
  const unit = rng.pick(['icu', 'oncology', 'maternity', 'ed'].filter((u) => u !== p.unit));
  const folder = rng.int(12);
  const events: PortableEventInput[] = [];
  for (const d of workingDays(p, ctx.day, 3)) {
    const t0 = inShift(p, dayStart + (d - ctx.day) * DAY, rng);
    const base = { ...who(p, 'ehr_snooping'), host: p.hosts[0] };
    const n = rng.range(4, 8);
    for (let i = 0; i < n; i++)
      events.push({
        ...base,
        time: t0 + (i + 1) * 2 * MINUTE,
        kind: 'file_read',
        path: `D:\\PHI\\${unit}\\${folder}\\chart${i}.pdf`,
        folderClass: 'phi',
        extension: 'pdf',
      });
  }
  return events;
};

const MAKERS: Record<InsiderScenario, MakeInsider> = {
  usb_theft_over_days: usbTheftOverDays,
  first_usb_after_hours: firstUsbAfterHours,
  departing_gradual: departingGradual,
  admin_copy_from_colleagues: adminCopyFromColleagues,
  ehr_snooping: ehrSnooping,
};

/** The makers, callable like the other scenarios' (a missing context means day 0: the demo's use). */
export const INSIDER_MAKERS = Object.fromEntries(
  INSIDER_SCENARIOS.map((name) => [
    name,
    (h: Hospital, dayStart: number, rng: Rng, ctx?: ScenarioContext) =>
      MAKERS[name](h, dayStart, rng, ctx ?? { day: 0 }),
  ]),
) as Record<InsiderScenario, (h: Hospital, dayStart: number, rng: Rng, ctx?: ScenarioContext) => PortableEventInput[]>;
