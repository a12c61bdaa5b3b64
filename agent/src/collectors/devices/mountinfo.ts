// /proc/self/mountinfo, one mount per line (proc(5)):
//   36 35 98:0 /mnt1 /mnt/parent rw,noatime master:1 - ext3 /dev/root rw,errors=continue
//   id parent major:minor root mount-point options [optional fields…] - fstype source super-options
// Paths escape space, tab, newline and backslash as \040, \011, \012, \134.
import type { Mount } from './device-snapshot';

export interface MountinfoResult {
  mounts: Mount[];
  /** Lines that are not mountinfo lines (reported as parse errors, never fatal). */
  errors: string[];
}

const MAJOR_MINOR = /^\d{1,10}:\d{1,10}$/;

export function parseMountinfo(text: string): MountinfoResult {
  const mounts: Mount[] = [];
  const errors: string[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const mount = parseLine(line);
    if (mount) mounts.push(mount);
    else errors.push('mountinfo line not understood');
  }
  return { mounts, errors };
}

function parseLine(line: string): Mount | undefined {
  const fields = line.split(' ');
  const dash = fields.indexOf('-', 6);
  if (dash < 0 || fields.length < dash + 3) return undefined;
  const [id, parent, dev, root, mountPoint] = fields;
  if (
    !/^\d+$/.test(id) ||
    !/^\d+$/.test(parent) ||
    !MAJOR_MINOR.test(dev) ||
    !root.startsWith('/') ||
    !mountPoint.startsWith('/')
  )
    return undefined;
  const fsType = fields[dash + 1];
  if (fsType === '') return undefined;
  return { mountPoint: unescape(mountPoint), fsType: unescape(fsType), source: unescape(fields[dash + 2]), dev: dev };
}

function unescape(field: string): string {
  return field.includes('\\')
    ? field.replace(/\\([0-7]{3})/g, (_m, octal: string) => String.fromCharCode(parseInt(octal, 8)))
    : field;
}
