// A small fake sysfs in a temp folder: two USB devices (a stick with a mass-storage
// interface, a keyboard with a HID one), and block devices under /sys/dev/block as
// symbolic links the way the kernel lays them out.
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export function makeSysfsTree(): string {
  const root = mkdtempSync(join(tmpdir(), 'ww-sysfs-'));
  const file = (path: string, text: string): void => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  const usb = 'devices/pci0000:00/0000:00:14.0/usb1';
  file(`${usb}/1-1/authorized`, '1\n');
  file(`${usb}/1-1/1-1:1.0/bInterfaceClass`, '08\n');
  file(`${usb}/1-2/authorized`, '1\n');
  file(`${usb}/1-2/1-2:1.0/bInterfaceClass`, '03\n');
  mkdirSync(join(root, 'bus/usb/devices'), { recursive: true });
  for (const name of ['usb1', '1-1', '1-1:1.0', '1-2', '1-2:1.0']) {
    const target =
      name === 'usb1' ? usb : name.includes(':') ? `${usb}/${name.split(':')[0]}/${name}` : `${usb}/${name}`;
    symlinkSync(join(root, target), join(root, 'bus/usb/devices', name));
  }
  // sdb1 on the USB stick; sda1 on a SATA disk; mmcblk0p1 on a card reader (removable = 1).
  const sdb = `${usb}/1-1/1-1:1.0/host2/target2:0:0/2:0:0:0/block/sdb`;
  file(`${sdb}/removable`, '1\n');
  file(`${sdb}/sdb1/partition`, '1\n');
  const sda = 'devices/pci0000:00/0000:00:17.0/ata1/host0/target0:0:0/0:0:0:0/block/sda';
  file(`${sda}/removable`, '0\n');
  file(`${sda}/sda1/partition`, '1\n');
  const mmc = 'devices/platform/mmc0/mmc_host/mmc0/mmc0:0001/block/mmcblk0';
  file(`${mmc}/removable`, '1\n');
  file(`${mmc}/mmcblk0p1/partition`, '1\n');
  mkdirSync(join(root, 'dev/block'), { recursive: true });
  symlinkSync(join(root, sdb, 'sdb1'), join(root, 'dev/block/8:17'));
  symlinkSync(join(root, sda, 'sda1'), join(root, 'dev/block/8:1'));
  symlinkSync(join(root, mmc, 'mmcblk0p1'), join(root, 'dev/block/179:1'));
  return root;
}
