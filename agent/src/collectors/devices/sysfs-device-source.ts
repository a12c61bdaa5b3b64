// Linux block devices and mounts read directly: /sys/block (a few tiny files
// per disk) and /proc/self/mountinfo (one read). Vendor, model and serial are
// read once per device, when it appears. Costs well under a millisecond per
// poll here (scripts/bench/devices-network.bench.ts), against several for
// systeminformation, which runs lsblk.
import { readdirSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { BlockDevice, DeviceSnapshot, DeviceSource, Mount } from './device-snapshot';
import { parseMountinfo } from './mountinfo';

export interface SysfsDeviceSourceOptions {
  sysRoot?: string;
  mountinfoPath?: string;
}

interface Known {
  key: string;
  device: BlockDevice;
}

export class SysfsDeviceSource implements DeviceSource {
  readonly name = 'sysfs';
  private readonly sys: string;
  private readonly mountinfo: string;
  private known = new Map<string, Known>();

  constructor(options: SysfsDeviceSourceOptions = {}) {
    this.sys = options.sysRoot ?? '/sys';
    this.mountinfo = options.mountinfoPath ?? '/proc/self/mountinfo';
  }

  /** Reads synchronously (small procfs/sysfs files, tens of µs); a Promise for the source interface. */
  snapshot(): Promise<DeviceSnapshot> {
    try {
      return Promise.resolve(this.snapshotSync());
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  snapshotSync(): DeviceSnapshot {
    const { mounts, errors } = parseMountinfo(readFileSync(this.mountinfo, 'utf8'));
    return { devices: this.blockDevices(), mounts, parseErrors: errors };
  }

  deviceOf(mount: Mount, devices: readonly BlockDevice[]): BlockDevice | undefined {
    if (!mount.dev || mount.dev.startsWith('0:')) return undefined; // 0:N is an anonymous (virtual) device
    const direct = devices.find((d) => d.dev === mount.dev);
    if (direct) return direct;
    // A partition: its sysfs folder sits inside its disk's.
    const path = readLink(join(this.sys, 'dev', 'block', mount.dev));
    if (!path) return undefined;
    const disk = dirname(path).split('/').pop();
    return devices.find((d) => d.name === disk);
  }

  private blockDevices(): BlockDevice[] {
    const next = new Map<string, Known>();
    const out: BlockDevice[] = [];
    let names: string[];
    try {
      names = readdirSync(join(this.sys, 'block'));
    } catch {
      return out;
    }
    for (const name of names) {
      const dir = join(this.sys, 'block', name);
      const sizeSectors = Number(readSmall(join(dir, 'size')));
      // Unattached loop devices and empty card readers have no medium: nothing is connected.
      if (!Number.isFinite(sizeSectors) || sizeSectors <= 0) continue;
      const dev = readSmall(join(dir, 'dev'));
      const key = `${dev}:${sizeSectors}`;
      const prev = this.known.get(name);
      const known = prev && prev.key === key ? prev : { key, device: this.describe(name, dir, dev, sizeSectors) };
      next.set(name, known);
      out.push(known.device);
    }
    this.known = next;
    return out;
  }

  private describe(name: string, dir: string, dev: string, sizeSectors: number): BlockDevice {
    const removable = readSmall(join(dir, 'removable')) === '1';
    const real = readLink(dir) ?? '';
    const usb = real.includes('/usb');
    const type = usb ? 'usb-storage' : removable ? 'removable-block' : name.startsWith('loop') ? 'loop' : 'block';
    const usbDevice = usb ? usbAncestor(real) : undefined;
    return {
      name,
      dev,
      type,
      removable: removable || usb,
      sizeBytes: sizeSectors * 512,
      vendor: (usbDevice && readSmall(join(usbDevice, 'manufacturer'))) || readSmall(join(dir, 'device', 'vendor')),
      model: (usbDevice && readSmall(join(usbDevice, 'product'))) || readSmall(join(dir, 'device', 'model')),
      serial:
        (usbDevice && readSmall(join(usbDevice, 'serial'))) ||
        readSmall(join(dir, 'device', 'serial')) ||
        readSmall(join(dir, 'serial')),
    };
  }
}

/** The USB device folder (the one with idVendor) above a disk's sysfs folder. */
function usbAncestor(path: string): string | undefined {
  for (let dir = dirname(path); dir.length > '/sys/devices'.length; dir = dirname(dir)) {
    if (readSmall(join(dir, 'idVendor')) !== '') return dir;
  }
  return undefined;
}

function readSmall(path: string): string {
  try {
    return readFileSync(path, 'latin1').trim().slice(0, 256);
  } catch {
    return '';
  }
}

function readLink(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}
