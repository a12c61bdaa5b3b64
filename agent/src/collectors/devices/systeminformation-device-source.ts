// Block devices and mounts on systems without /sys (Windows, macOS), through
// systeminformation.blockDevices(), which lists both: a device with a mount
// point is also a mount.
import { systemInformation, type Systeminformation } from '../systeminformation';
import type { BlockDevice, DeviceSnapshot, DeviceSource, Mount } from './device-snapshot';

export type BlockDevicesProvider = () => Promise<Systeminformation.BlockDevicesData[]>;

export class SystemInformationDeviceSource implements DeviceSource {
  readonly name = 'systeminformation';

  constructor(
    private readonly provider: BlockDevicesProvider = async () => (await systemInformation()).blockDevices(),
  ) {}

  async snapshot(): Promise<DeviceSnapshot> {
    const list = await this.provider();
    const devices: BlockDevice[] = [];
    const mounts: Mount[] = [];
    for (const d of list) {
      const usb = /usb/i.test(d.protocol ?? '');
      // Size 0: an empty card reader or an unattached loop device — nothing is connected.
      if ((d.type === 'disk' || d.type === 'loop' || d.removable || usb) && Number(d.size) > 0) {
        devices.push({
          name: d.name,
          dev: '',
          type: usb ? 'usb-storage' : d.removable ? 'removable-block' : d.type === 'loop' ? 'loop' : 'block',
          removable: Boolean(d.removable) || usb,
          sizeBytes: Number(d.size) || 0,
          vendor: '',
          model: d.model ?? '',
          serial: d.serial ?? '',
        });
      }
      if (d.mount) mounts.push({ mountPoint: d.mount, fsType: d.fsType ?? '', source: d.name, dev: '' });
    }
    return { devices, mounts };
  }

  deviceOf(mount: Mount, devices: readonly BlockDevice[]): BlockDevice | undefined {
    return devices.find((d) => d.name === mount.source) ?? devices.find((d) => mount.source.startsWith(d.name));
  }
}
