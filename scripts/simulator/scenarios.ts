// Injected attacks and misuse, each labelled with its scenario name so that the
// evaluation knows the ground truth.
import type { PortableEventInput } from '@wardwatch/shared';
import type { Hospital, Staff } from './hospital';
import { INSIDER_MAKERS, INSIDER_SCENARIOS, type ScenarioContext } from './insiders';
import { MASQUERADE_MAKERS, MASQUERADE_SCENARIOS } from './masquerade';
import type { Rng } from './rng';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export const SCENARIOS = [
  'departing_employee',
  'ransomware',
  'brute_force',
  'password_spray',
  'shared_credential',
  'privilege_misuse',
] as const;
/** Quieter variants below every rule's threshold, inside working hours: the evaluation's hard cases. */
export const SUBTLE_SCENARIOS = ['slow_exfiltration', 'record_snooping'] as const;
export type Scenario =
  | (typeof SCENARIOS)[number]
  | (typeof SUBTLE_SCENARIOS)[number]
  | (typeof INSIDER_SCENARIOS)[number]
  | (typeof MASQUERADE_SCENARIOS)[number];
export { INSIDER_SCENARIOS, MASQUERADE_SCENARIOS };
/** Every scenario of the hard hospital, once each: what the evaluation injects (`--repeat` times). */
export const HARD_SCENARIOS: readonly Scenario[] = [
  ...SCENARIOS,
  ...SUBTLE_SCENARIOS,
  ...INSIDER_SCENARIOS,
  ...MASQUERADE_SCENARIOS,
];

type Make = (hospital: Hospital, dayStart: number, rng: Rng, ctx?: ScenarioContext) => PortableEventInput[];

const who = (p: Staff, label: Scenario) => ({ v: 1 as const, user: p.user, role: p.role, unit: p.unit, label });
// A small hospital may lack the role: then anyone plays the part (the scenario still happens).
const pickRole = (h: Hospital, rng: Rng, roles: Staff['role'][]) => {
  const cast = h.staff.filter((s) => roles.includes(s.role));
  return rng.pick(cast.length > 0 ? cast : h.staff);
};

const departingEmployee: Make = (h, day, rng) => {
  const p = pickRole(h, rng, ['clerk', 'physician']);
  const host = p.hosts[0];
  const t0 = day + 2 * HOUR + 10 * MINUTE;
  const base = { ...who(p, 'departing_employee'), host };
  const events: PortableEventInput[] = [
    { ...base, time: t0, kind: 'logon', method: 'password' },
    { ...base, time: t0 + MINUTE, kind: 'device_connect', deviceType: 'usb-storage', removable: true },
  ];
  const files = rng.range(150, 260);
  for (let i = 0; i < files; i++) {
    events.push({
      ...base,
      time: t0 + 2 * MINUTE + i * 4_000,
      kind: 'file_copy',
      path: `D:\\PHI\\${p.unit}\\${i % 12}\\rec${i}.pdf`,
      folderClass: 'phi',
      targetPath: `E:\\export\\rec${i}.pdf`,
      targetFolderClass: 'removable',
      extension: 'pdf',
      sizeBytes: 150_000,
    });
  }
  events.push({ ...base, time: t0 + 40 * MINUTE, kind: 'logoff' });
  return events;
};

const ransomware: Make = (h, day, rng) => {
  const p = pickRole(h, rng, ['nurse']);
  const host = rng.pick(p.hosts);
  const t0 = day + 10 * HOUR + rng.int(60) * MINUTE;
  const base = { ...who(p, 'ransomware'), host };
  const events: PortableEventInput[] = [
    { ...base, time: t0, kind: 'process_start', executable: 'C:\\Users\\Public\\invoice_scan.exe' },
    {
      ...base,
      time: t0 + 5_000,
      kind: 'process_start',
      executable: 'C:\\Windows\\System32\\vssadmin.exe',
      commandLine: 'vssadmin.exe Delete Shadows /All /Quiet',
    },
  ];
  for (let i = 0; i < 300; i++) {
    const path = `D:\\PHI\\${p.unit}\\${i % 12}\\doc${i}.docx`;
    events.push({
      ...base,
      time: t0 + 10_000 + i * 200,
      kind: 'file_write',
      path,
      folderClass: 'phi',
      extension: 'docx',
      entropy: 7.95,
      sizeBytes: 50_000,
    });
    events.push({
      ...base,
      time: t0 + 10_100 + i * 200,
      kind: 'file_rename',
      path: `${path}.locked`,
      previousPath: path,
      folderClass: 'phi',
      extension: 'locked',
      entropy: 7.95,
    });
  }
  return events;
};

const bruteForce: Make = (h, day, rng) => {
  const p = pickRole(h, rng, ['nurse', 'physician']);
  const host = rng.pick(p.hosts);
  const t0 = day + 3 * HOUR + rng.int(60) * MINUTE;
  const base = { ...who(p, 'brute_force'), host, sourceIp: '10.66.6.6' };
  const events: PortableEventInput[] = [];
  for (let i = 0; i < 30; i++) events.push({ ...base, time: t0 + i * 8_000, kind: 'failed_logon', method: 'password' });
  events.push({ ...base, time: t0 + 30 * 8_000, kind: 'logon', method: 'password' });
  return events;
};

const passwordSpray: Make = (h, day, rng) => {
  const t0 = day + 4 * HOUR + rng.int(60) * MINUTE;
  const victims = [...h.staff].sort(() => rng.next() - 0.5).slice(0, 12);
  return victims.map((p, i) => ({
    ...who(p, 'password_spray'),
    host: p.hosts[0],
    time: t0 + i * 30_000,
    kind: 'failed_logon' as const,
    method: 'password',
    sourceIp: '10.66.7.7',
  }));
};

const sharedCredential: Make = (h, day, rng) => {
  const p = pickRole(h, rng, ['nurse', 'physician']);
  const otherUnit = rng.pick(h.units.filter((u) => u !== p.unit && u !== 'it' && u !== 'pharmacy'));
  const events: PortableEventInput[] = [];
  const base = who(p, 'shared_credential');
  const t0 = day + 20 * HOUR + 30 * MINUTE;
  // The owner's session at home stays open while a colleague uses the account elsewhere, at night.
  events.push({ ...base, host: p.hosts[0], time: t0 - 30 * MINUTE, kind: 'logon', method: 'password' });
  for (const [i, host] of h.hostsByUnit[otherUnit].slice(0, 3).entries()) {
    const t = t0 + i * 40 * MINUTE;
    events.push({ ...base, host, time: t, kind: 'logon', method: 'password' });
    for (let k = 0; k < 12; k++)
      events.push({
        ...base,
        host,
        time: t + (k + 1) * MINUTE,
        kind: 'file_write',
        path: `D:\\PHI\\${otherUnit}\\${k}\\n${k}.docx`,
        folderClass: 'phi',
        extension: 'docx',
        entropy: 5,
      });
    events.push({
      ...base,
      host,
      time: t + 30 * MINUTE,
      kind: 'process_start',
      executable: 'C:\\Apps\\pacs-viewer.exe',
    });
  }
  return events;
};

const privilegeMisuse: Make = (h, day, rng) => {
  const p = pickRole(h, rng, ['it']);
  const host = h.hostsByUnit[rng.pick(['icu', 'oncology'])][0];
  const t0 = day + 22 * HOUR;
  const base = { ...who(p, 'privilege_misuse'), host };
  const events: PortableEventInput[] = [{ ...base, time: t0, kind: 'logon', method: 'password' }];
  for (let i = 0; i < 12; i++)
    events.push({
      ...base,
      time: t0 + (i + 1) * MINUTE,
      kind: 'privilege_use',
      service: 'runas',
      targetUser: 'Administrator',
    });
  events.push({
    ...base,
    time: t0 + 15 * MINUTE,
    kind: 'process_start',
    executable: 'C:\\Tools\\PsExec.exe',
    commandLine: 'psexec \\\\ws-icu-02 cmd',
  });
  events.push({
    ...base,
    time: t0 + 16 * MINUTE,
    kind: 'process_start',
    executable: 'C:\\Windows\\System32\\net.exe',
    commandLine: 'net user /domain',
  });
  for (let i = 0; i < 80; i++) {
    events.push({
      ...base,
      time: t0 + 20 * MINUTE + i * 15_000,
      kind: 'file_copy',
      path: `D:\\PHI\\icu\\${i % 12}\\chart${i}.pdf`,
      folderClass: 'phi',
      targetPath: `C:\\Users\\admin\\tmp\\chart${i}.pdf`,
      targetFolderClass: 'other',
      extension: 'pdf',
    });
  }
  events.push({
    ...base,
    time: t0 + 50 * MINUTE,
    kind: 'net_connect',
    remoteAddress: '198.51.100.23',
    remotePort: 443,
  });
  return events;
};

const slowExfiltration: Make = (h, day, rng) => {
  const p = pickRole(h, rng, ['clerk', 'physician', 'nurse']);
  const host = p.hosts[0];
  const t0 = day + (p.shift === 'night' ? 22 : 11) * HOUR + rng.int(60) * MINUTE;
  const base = { ...who(p, 'slow_exfiltration'), host };
  const events: PortableEventInput[] = [
    { ...base, time: t0, kind: 'device_connect', deviceType: 'usb-storage', removable: true },
  ];
  for (let i = 0, n = rng.range(20, 30); i < n; i++) {
    events.push({
      ...base,
      time: t0 + (i + 1) * 3 * MINUTE,
      kind: 'file_copy',
      path: `D:\\PHI\\${p.unit}\\${i % 12}\\r${i}.pdf`,
      folderClass: 'phi',
      targetPath: `E:\\r${i}.pdf`,
      targetFolderClass: 'removable',
      extension: 'pdf',
    });
  }
  return events;
};

const recordSnooping: Make = (h, day, rng) => {
  const p = pickRole(h, rng, ['clerk', 'pharmacist']);
  const otherUnit = rng.pick(['icu', 'oncology', 'maternity']);
  const t0 = day + 13 * HOUR + rng.int(120) * MINUTE;
  const base = { ...who(p, 'record_snooping'), host: p.hosts[0] };
  return Array.from({ length: 15 }, (_, i) => ({
    ...base,
    time: t0 + i * 2 * MINUTE,
    kind: 'file_copy' as const,
    path: `D:\\PHI\\${otherUnit}\\${i % 12}\\chart${i}.pdf`,
    folderClass: 'phi' as const,
    targetPath: `C:\\Users\\me\\chart${i}.pdf`,
    targetFolderClass: 'other' as const,
    extension: 'pdf',
  }));
};

export const SCENARIO_MAKERS: Record<Scenario, Make> = {
  slow_exfiltration: slowExfiltration,
  record_snooping: recordSnooping,
  departing_employee: departingEmployee,
  ransomware,
  brute_force: bruteForce,
  password_spray: passwordSpray,
  shared_credential: sharedCredential,
  privilege_misuse: privilegeMisuse,
  ...INSIDER_MAKERS,
  ...MASQUERADE_MAKERS,
};
