// /proc/self/mountinfo with what remounting needs: the mount point, its backing device
// and whether it is mounted read-only (the per-mount options, field 6). The collectors'
// parser (collectors/devices/mountinfo.ts) leaves the options out; this one keeps them.
//   36 35 98:0 /mnt1 /mnt/parent rw,noatime master:1 - ext3 /dev/root rw,errors=continue
import { readFileSync } from 'node:fs';

export interface MountEntry {
  mountPoint: string;
  /** 'major:minor' of the backing device. */
  dev: string;
  fsType: string;
  source: string;
  readOnly: boolean;
}

export function parseMountTable(text: string): MountEntry[] {
  const out: MountEntry[] = [];
  for (const line of text.split('\n')) {
    const f = line.split(' ');
    const dash = f.indexOf('-', 6);
    if (dash < 0 || f.length < dash + 3 || !/^\d+:\d+$/.test(f[2] ?? '') || !f[4]?.startsWith('/')) continue;
    out.push({
      mountPoint: unescape(f[4]),
      dev: f[2],
      fsType: unescape(f[dash + 1]),
      source: unescape(f[dash + 2]),
      readOnly: f[5].split(',').includes('ro'),
    });
  }
  return out;
}

export function readMountTable(path: string): MountEntry[] {
  try {
    return parseMountTable(readFileSync(path, 'utf8'));
  } catch {
    return [];
  }
}

function unescape(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_m, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}
