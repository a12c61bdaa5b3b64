import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseMountTable } from './mount-table';
import { isRemovableBySysfs, setUsbAuthorized, usbAuthorized, usbMassStorageDevices } from './removable-sysfs';
import { makeSysfsTree } from './sysfs-tree.fixture';

describe('removable media in a fixture sysfs', () => {
  const sys = makeSysfsTree();
  afterAll(() => rmSync(sys, { recursive: true, force: true }));
  const mount = (dev: string) => ({ mountPoint: '/m', dev, fsType: 'vfat', source: '/dev/x', readOnly: false });

  it('finds USB devices with a mass-storage interface only (not the keyboard)', () => {
    expect(usbMassStorageDevices(sys)).toEqual(['1-1']);
    expect(usbMassStorageDevices(join(sys, 'nowhere'))).toEqual([]);
  });

  it('writes authorized through the device link', () => {
    setUsbAuthorized(sys, '1-1', '0');
    expect(usbAuthorized(sys, '1-1')).toBe('0');
    expect(readFileSync(join(sys, 'devices/pci0000:00/0000:00:14.0/usb1/1-1/authorized'), 'utf8')).toBe('0');
    setUsbAuthorized(sys, '1-1', '1');
    expect(() => setUsbAuthorized(sys, '../../etc', '0')).toThrow();
  });

  it('tells removable mounts by their backing device: USB, removable flag of the disk, not SATA or anonymous', () => {
    expect(isRemovableBySysfs(sys, mount('8:17'))).toBe(true);
    expect(isRemovableBySysfs(sys, mount('179:1'))).toBe(true);
    expect(isRemovableBySysfs(sys, mount('8:1'))).toBe(false);
    expect(isRemovableBySysfs(sys, mount('0:45'))).toBe(false);
    expect(isRemovableBySysfs(sys, mount('9:9'))).toBe(false);
  });
});

describe('parseMountTable', () => {
  it('reads mount point, device, type, source and read-only, unescaping octal escapes', () => {
    const text = [
      '22 27 0:21 / /proc rw,relatime - proc proc rw',
      '101 27 8:17 / /media/nurse/USB\\040STICK ro,nosuid,nodev - vfat /dev/sdb1 rw,fmask=0022',
      '36 35 98:0 /mnt1 /mnt/parent rw,noatime master:1 shared:7 - ext3 /dev/root rw',
      'garbage',
    ].join('\n');
    expect(parseMountTable(text)).toEqual([
      { mountPoint: '/proc', dev: '0:21', fsType: 'proc', source: 'proc', readOnly: false },
      { mountPoint: '/media/nurse/USB STICK', dev: '8:17', fsType: 'vfat', source: '/dev/sdb1', readOnly: true },
      { mountPoint: '/mnt/parent', dev: '98:0', fsType: 'ext3', source: '/dev/root', readOnly: false },
    ]);
  });
});
