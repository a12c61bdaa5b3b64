import type { Systeminformation } from 'systeminformation';
import { describe, expect, it } from 'vitest';
import { SystemInformationDeviceSource } from './systeminformation-device-source';

const row = (r: Partial<Systeminformation.BlockDevicesData>): Systeminformation.BlockDevicesData =>
  ({
    name: '',
    type: '',
    fsType: '',
    mount: '',
    size: 0,
    physical: '',
    uuid: '',
    label: '',
    model: '',
    serial: '',
    removable: false,
    protocol: '',
    group: '',
    device: '',
    ...r,
  }) as Systeminformation.BlockDevicesData;

describe('SystemInformationDeviceSource', () => {
  it('maps Windows volumes: a removable drive is a device and a mount', async () => {
    const source = new SystemInformationDeviceSource(() =>
      Promise.resolve([
        row({
          name: 'C:',
          type: 'Local Disk',
          fsType: 'NTFS',
          mount: 'C:',
          size: 255_000_000_000,
          physical: 'SSD',
          protocol: 'NVMe',
        }),
        row({
          name: 'E:',
          type: 'Removable Disk',
          fsType: 'FAT32',
          mount: 'E:',
          size: 32_000_000_000,
          removable: true,
          protocol: 'USB',
          label: 'KINGSTON',
          serial: 'A1B2',
        }),
        row({ name: 'F:', type: 'Removable Disk', removable: true, size: 0 }),
      ]),
    );
    const snapshot = await source.snapshot();
    expect(snapshot.devices).toEqual([
      {
        name: 'E:',
        dev: '',
        type: 'usb-storage',
        removable: true,
        sizeBytes: 32_000_000_000,
        vendor: '',
        model: '',
        serial: 'A1B2',
      },
    ]);
    expect(snapshot.mounts.map((m) => m.mountPoint)).toEqual(['C:', 'E:']);
    expect(source.deviceOf(snapshot.mounts[1], snapshot.devices)?.serial).toBe('A1B2');
    expect(source.deviceOf(snapshot.mounts[0], snapshot.devices)).toBeUndefined();
  });

  it.runIf(process.platform === 'linux')(
    "lists this machine's disks through the real systeminformation (lsblk)",
    async () => {
      const snapshot = await new SystemInformationDeviceSource().snapshot();
      expect(snapshot.devices.length).toBeGreaterThan(0);
      expect(snapshot.devices.every((d) => d.sizeBytes > 0)).toBe(true);
    },
  );
});
