// Linux: is the root file system on an encrypted block device? From
// `lsblk -J -o NAME,TYPE,FSTYPE,MOUNTPOINT`: the device mounted at `/` is encrypted when
// it, or a device under which it sits, is a dm-crypt mapping (TYPE `crypt`) or a LUKS
// container (FSTYPE `crypto_LUKS`); LVM on LUKS and LUKS on a partition both qualify.
// Pure; never throws (an unreadable answer is `unknown`).
import { z } from 'zod';
import { type DiskEncryptionStatus, unknownStatus } from './disk-encryption-status';

interface BlockDevice {
  name: string;
  type: string;
  fstype: string | null;
  mountpoints: string[];
  children: BlockDevice[];
}

const Raw: z.ZodType<unknown> = z.lazy(() =>
  z.object({
    name: z.string(),
    type: z.string().nullish(),
    fstype: z.string().nullish(),
    mountpoint: z.string().nullish(),
    mountpoints: z.array(z.string().nullable()).nullish(),
    children: z.array(Raw).nullish(),
  }),
);
const Answer = z.object({ blockdevices: z.array(Raw) });

interface RawDevice {
  name: string;
  type?: string | null;
  fstype?: string | null;
  mountpoint?: string | null;
  mountpoints?: (string | null)[] | null;
  children?: RawDevice[] | null;
}

export const LSBLK_ARGS = ['-J', '-o', 'NAME,TYPE,FSTYPE,MOUNTPOINT'] as const;

export function parseLsblk(json: string): DiskEncryptionStatus {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return unknownStatus('lsblk answer is not JSON');
  }
  const parsed = Answer.safeParse(raw);
  if (!parsed.success) return unknownStatus('lsblk answer not understood');
  const devices = (parsed.data.blockdevices as RawDevice[]).map(normalise);
  const path = findRoot(devices, []);
  if (!path) return unknownStatus('the root file system is not on a block device lsblk lists');
  const root = path[path.length - 1];
  // The nearest: the dm-crypt mapping itself rather than the LUKS container it opens.
  const encrypted = [...path].reverse().find((d) => d.type === 'crypt' || d.fstype === 'crypto_LUKS');
  if (encrypted)
    return {
      state: 'encrypted',
      detail:
        `root file system on ${root.name}, encrypted by ${encrypted.type === 'crypt' ? 'dm-crypt' : 'LUKS'} (${encrypted.name})`.slice(
          0,
          300,
        ),
    };
  return {
    state: 'not_encrypted',
    detail: `root file system on ${root.name}: no dm-crypt or LUKS under it`.slice(0, 300),
  };
}

function normalise(raw: RawDevice): BlockDevice {
  const points = [raw.mountpoint, ...(raw.mountpoints ?? [])].filter((p): p is string => typeof p === 'string');
  return {
    name: raw.name.slice(0, 64),
    type: raw.type ?? '',
    fstype: raw.fstype ?? null,
    mountpoints: points,
    children: (raw.children ?? []).map(normalise),
  };
}

/** The chain of devices from a top-level one down to the one mounted at `/`, or null. */
function findRoot(devices: BlockDevice[], above: BlockDevice[]): BlockDevice[] | null {
  for (const device of devices) {
    const chain = [...above, device];
    if (device.mountpoints.includes('/')) return chain;
    const below = findRoot(device.children, chain);
    if (below) return below;
  }
  return null;
}
