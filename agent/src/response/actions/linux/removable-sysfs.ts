// Removable media in sysfs (root injectable, for fixture trees):
// - USB devices with a mass-storage interface (`bInterfaceClass` 08 on an interface
//   folder `1-2:1.0`), whose `authorized` file detaches them from their drivers when 0;
// - whether a mount's backing device is removable: `/sys/dev/block/MAJ:MIN` resolves to
//   the device's folder; it (or, for a partition, its disk) has `removable` = 1, or it
//   sits on a USB bus.
import { readdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { MountEntry } from './mount-table';

const MASS_STORAGE_CLASS = '08';

/** Names (`1-2`, `3-1.4`) of the USB devices with a mass-storage interface. */
export function usbMassStorageDevices(sysRoot: string): string[] {
  const dir = join(sysRoot, 'bus', 'usb', 'devices');
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const devices = new Set<string>();
  for (const name of names) {
    const colon = name.indexOf(':');
    if (colon < 1) continue; // a device (or root hub), not an interface
    if (readSmall(join(dir, name, 'bInterfaceClass')) === MASS_STORAGE_CLASS) devices.add(name.slice(0, colon));
  }
  return [...devices].sort();
}

/** '1', '0', or '' when the device is gone. */
export function usbAuthorized(sysRoot: string, device: string): string {
  return readSmall(usbAuthorizedPath(sysRoot, device));
}

export function setUsbAuthorized(sysRoot: string, device: string, value: '0' | '1'): void {
  writeFileSync(usbAuthorizedPath(sysRoot, device), value);
}

function usbAuthorizedPath(sysRoot: string, device: string): string {
  if (!/^\d+-[\d.]+$/.test(device)) throw new Error('not a USB device name');
  return join(sysRoot, 'bus', 'usb', 'devices', device, 'authorized');
}

export function isRemovableBySysfs(sysRoot: string, mount: MountEntry): boolean {
  if (mount.dev.startsWith('0:')) return false; // anonymous devices: tmpfs, overlay, proc…
  let dir: string;
  try {
    dir = realpathSync(join(sysRoot, 'dev', 'block', mount.dev));
  } catch {
    return false;
  }
  if (dir.includes('/usb')) return true;
  // A partition's folder sits inside its disk's and has a `partition` file.
  const disk = readSmall(join(dir, 'partition')) !== '' ? dirname(dir) : dir;
  return readSmall(join(disk, 'removable')) === '1';
}

function readSmall(path: string): string {
  try {
    return readFileSync(path, 'latin1').trim().slice(0, 64);
  } catch {
    return '';
  }
}
