import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseMountinfo } from './mountinfo';

const sample = [
  '22 27 0:21 / /proc rw,relatime - proc proc rw',
  '36 35 98:0 /mnt1 /mnt/parent rw,noatime master:1 shared:7 - ext3 /dev/root rw,errors=continue',
  '101 27 8:17 / /media/nurse/USB\\040STICK rw,nosuid,nodev - vfat /dev/sdb1 rw,fmask=0022',
  '102 27 0:55 / /mnt/share rw - cifs //fileserver/ward\\0403 rw,vers=3.1.1',
].join('\n');

describe('parseMountinfo', () => {
  it('reads mount point, file system, source and device, unescaping octal escapes', () => {
    const { mounts, errors } = parseMountinfo(`${sample}\n`);
    expect(errors).toEqual([]);
    expect(mounts).toEqual([
      { mountPoint: '/proc', fsType: 'proc', source: 'proc', dev: '0:21' },
      { mountPoint: '/mnt/parent', fsType: 'ext3', source: '/dev/root', dev: '98:0' },
      { mountPoint: '/media/nurse/USB STICK', fsType: 'vfat', source: '/dev/sdb1', dev: '8:17' },
      { mountPoint: '/mnt/share', fsType: 'cifs', source: '//fileserver/ward 3', dev: '0:55' },
    ]);
  });

  it('counts lines it cannot read and keeps the others', () => {
    const { mounts, errors } = parseMountinfo(
      'garbage\n22 27 0:21 / /proc rw - proc proc rw\n22 27 0:21 / /x rw no-dash-here\n1 2 x:y / /a rw - ext4 /dev/a rw\n',
    );
    expect(mounts.map((m) => m.mountPoint)).toEqual(['/proc']);
    expect(errors).toHaveLength(3);
  });

  it.runIf(process.platform === 'linux')("reads this machine's mountinfo without an error", () => {
    const { mounts, errors } = parseMountinfo(readFileSync('/proc/self/mountinfo', 'utf8'));
    expect(errors).toEqual([]);
    expect(mounts.some((m) => m.mountPoint === '/')).toBe(true);
  });

  it('never throws, and every line is either a mount or a counted error', () => {
    const fragments = [...new Set(sample.split(/(?<=[ \\-])/))];
    const line = fc.oneof(
      fc.array(fc.constantFrom(...fragments), { maxLength: 16 }).map((p) => p.join('')),
      fc.tuple(fc.constantFrom(...sample.split('\n')), fc.nat()).map(([l, n]) => l.slice(0, n % (l.length + 1))),
      fc.string({ unit: 'binary', maxLength: 200 }),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 12 }), (lines) => {
        const text = lines.join('\n');
        const { mounts, errors } = parseMountinfo(text);
        expect(mounts.length + errors.length).toBe(text.split('\n').filter((l) => l !== '').length);
        for (const m of mounts) {
          expect(m.mountPoint.startsWith('/')).toBe(true);
          expect(m.dev).toMatch(/^\d+:\d+$/);
        }
      }),
      { numRuns: 500 },
    );
  });
});
