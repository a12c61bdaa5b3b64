// What a device source reports: the block devices present and the file
// systems mounted, each with what identifies it across two polls.

export interface BlockDevice {
  /** Kernel name: 'sdb', 'mmcblk0', 'loop3', 'vda'. */
  name: string;
  /** 'major:minor'; '' where the OS does not tell. */
  dev: string;
  /** 'usb-storage' (on a USB bus), 'removable-block' (removable media flag), 'loop', 'block'. */
  type: string;
  removable: boolean;
  sizeBytes: number;
  vendor: string;
  model: string;
  serial: string;
}

export interface Mount {
  mountPoint: string;
  fsType: string;
  /** What is mounted: '/dev/sdb1', 'tmpfs', 'server:/share'. */
  source: string;
  /** 'major:minor' of the backing device; '' where unknown. */
  dev: string;
}

export interface DeviceSnapshot {
  devices: BlockDevice[];
  mounts: Mount[];
  /** Source records that could not be read (reported as parse errors). */
  parseErrors?: string[];
}

export interface DeviceSource {
  readonly name: string;
  snapshot(): Promise<DeviceSnapshot>;
  /** The block device (whole disk) a mount's backing device belongs to, if known. */
  deviceOf(mount: Mount, devices: readonly BlockDevice[]): BlockDevice | undefined;
}

/**
 * Device types that mean removable media. A mount event carries one of them
 * exactly when the agent treats the volume as removable (and watches it as
 * folder class 'removable'), so a reader of the event can rely on it.
 */
export const REMOVABLE_DEVICE_TYPES: ReadonlySet<string> = new Set(['usb-storage', 'removable-block']);

/** Kernel and runtime file systems: never a volume someone plugged in or a share someone mounted. */
export const PSEUDO_FILE_SYSTEMS: ReadonlySet<string> = new Set([
  'proc',
  'sysfs',
  'cgroup',
  'cgroup2',
  'devpts',
  'devtmpfs',
  'mqueue',
  'debugfs',
  'tracefs',
  'securityfs',
  'pstore',
  'bpf',
  'autofs',
  'fusectl',
  'configfs',
  'binfmt_misc',
  'hugetlbfs',
  'nsfs',
  'efivarfs',
  'rpc_pipefs',
  'selinuxfs',
  'ramfs',
]);
