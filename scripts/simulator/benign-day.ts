// One ordinary working day of one person: logon at the start of the shift on a
// unit workstation (sometimes moving to a second one), the clinical programs of
// the role, patient-data files, network destinations, the odd typo at logon,
// and for IT staff privilege use and the occasional USB stick.
import type { PortableEventInput } from '@wardwatch/shared';
import { shiftHours, type Staff } from './hospital';
import type { Rng } from './rng';

const HOUR = 3_600_000;
const MINUTE = 60_000;

const PROGRAMS: Record<Staff['role'], string[]> = {
  nurse: ['C:\\EHR\\ehr.exe', 'C:\\Apps\\medadmin.exe', 'C:\\Program Files\\Chrome\\chrome.exe'],
  physician: [
    'C:\\EHR\\ehr.exe',
    'C:\\Apps\\pacs-viewer.exe',
    'C:\\Program Files\\Chrome\\chrome.exe',
    'C:\\Apps\\dictation.exe',
  ],
  clerk: ['C:\\EHR\\ehr.exe', 'C:\\Apps\\scanner.exe', 'C:\\Office\\outlook.exe', 'C:\\Office\\excel.exe'],
  pharmacist: ['C:\\EHR\\ehr.exe', 'C:\\Apps\\pharmacy.exe', 'C:\\Office\\outlook.exe'],
  it: [
    'C:\\Windows\\System32\\mmc.exe',
    'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
    'C:\\Apps\\putty.exe',
    'C:\\Office\\outlook.exe',
    'C:\\Apps\\rdp.exe',
  ],
};
const RARE_PROGRAMS = [
  'C:\\Apps\\teams.exe',
  'C:\\Apps\\acrobat.exe',
  'C:\\Apps\\zoom.exe',
  'C:\\Apps\\calc.exe',
  'C:\\Apps\\notepad++.exe',
];
const PHI_VOLUME: Record<Staff['role'], number> = { nurse: 8, physician: 14, clerk: 25, pharmacist: 10, it: 1 };
const DESTINATIONS = ['10.0.0.5', '10.0.0.6', '10.0.1.20', '10.0.2.8'];

export function benignDay(person: Staff, dayStart: number, rng: Rng): PortableEventInput[] {
  const { start, length } = shiftHours(person);
  const begin = dayStart + start * HOUR + (rng.int(40) - 20) * MINUTE;
  const end = begin + length * HOUR + (rng.int(40) - 10) * MINUTE;
  const base = { v: 1 as const, user: person.user, role: person.role, unit: person.unit };
  const events: PortableEventInput[] = [];
  const at = (time: number) => Math.round(time);
  const host = rng.pick(person.hosts);
  for (let i = rng.poisson(0.3); i > 0; i--)
    events.push({ ...base, time: at(begin - 2 * MINUTE), host, kind: 'failed_logon', method: 'password' });
  events.push({ ...base, time: at(begin), host, kind: 'logon', method: 'password' });
  // Sometimes a move to another shared workstation halfway through.
  const moves = rng.chance(0.3);
  const middle = begin + (end - begin) * (0.3 + rng.next() * 0.4);
  const hostAt = (time: number) => (moves && time > middle ? secondHost : host);
  const secondHost = rng.pick(person.hosts);
  if (moves) {
    events.push({ ...base, time: at(middle - MINUTE), host, kind: 'logoff' });
    events.push({ ...base, time: at(middle), host: secondHost, kind: 'logon', method: 'password' });
  }
  const randomTime = () => begin + rng.next() * (end - begin);
  for (const program of PROGRAMS[person.role]) {
    if (rng.chance(0.85)) {
      const t = randomTime();
      events.push({ ...base, time: at(t), host: hostAt(t), kind: 'process_start', executable: program });
    }
  }
  if (rng.chance(0.04)) {
    const t = randomTime();
    events.push({ ...base, time: at(t), host: hostAt(t), kind: 'process_start', executable: rng.pick(RARE_PROGRAMS) });
  }
  const phi = rng.poisson(PHI_VOLUME[person.role]);
  for (let i = 0; i < phi; i++) {
    const t = randomTime();
    const folder = `D:\\PHI\\${person.unit}\\${rng.int(12)}`;
    const r = rng.next();
    const kind = r < 0.55 ? 'file_write' : r < 0.85 ? 'file_create' : r < 0.93 ? 'file_rename' : 'file_delete';
    const path = `${folder}\\doc${rng.int(100000)}.docx`;
    const file = {
      ...base,
      time: at(t),
      host: hostAt(t),
      path,
      folderClass: 'phi' as const,
      extension: 'docx',
      sizeBytes: 20_000 + rng.int(200_000),
      entropy: 4 + rng.next() * 2,
    };
    events.push(kind === 'file_rename' ? { ...file, kind, previousPath: `${folder}\\tmp.docx` } : { ...file, kind });
  }
  if (rng.chance(0.1)) {
    const t = randomTime();
    events.push({
      ...base,
      time: at(t),
      host: hostAt(t),
      kind: 'file_copy',
      path: `D:\\PHI\\${person.unit}\\letter.pdf`,
      folderClass: 'phi',
      targetPath: 'C:\\Users\\me\\letter.pdf',
      targetFolderClass: 'other',
      extension: 'pdf',
    });
  }
  for (const destination of DESTINATIONS) {
    if (rng.chance(0.6)) {
      const t = randomTime();
      events.push({
        ...base,
        time: at(t),
        host: hostAt(t),
        kind: 'net_connect',
        remoteAddress: destination,
        remotePort: 443,
      });
    }
  }
  if (rng.chance(0.03)) {
    const t = randomTime();
    events.push({
      ...base,
      time: at(t),
      host: hostAt(t),
      kind: 'net_connect',
      remoteAddress: `10.0.${rng.int(250)}.${rng.int(250)}`,
      remotePort: 443,
    });
  }
  if (person.role === 'it') {
    for (let i = rng.poisson(3); i > 0; i--) {
      const t = randomTime();
      events.push({ ...base, time: at(t), host: hostAt(t), kind: 'privilege_use', service: 'runas' });
    }
  }
  const usbChance = person.role === 'it' ? 0.1 : person.role === 'physician' ? 0.03 : 0.005;
  if (rng.chance(usbChance)) {
    const t = randomTime();
    const h = hostAt(t);
    events.push({ ...base, time: at(t), host: h, kind: 'device_connect', deviceType: 'usb-storage', removable: true });
    for (let i = rng.range(1, 5); i > 0; i--) {
      events.push({
        ...base,
        time: at(t + i * 20_000),
        host: h,
        kind: 'file_create',
        path: `E:\\talk${i}.pptx`,
        folderClass: 'removable',
        extension: 'pptx',
        entropy: 7.2,
      });
    }
    events.push({
      ...base,
      time: at(t + 10 * MINUTE),
      host: h,
      kind: 'device_disconnect',
      deviceType: 'usb-storage',
      removable: true,
    });
  }
  events.push({ ...base, time: at(end), host: hostAt(end), kind: 'logoff' });
  return events;
}
