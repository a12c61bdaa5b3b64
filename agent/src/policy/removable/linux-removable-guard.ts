// The RemovableMountGuard as the agent runs it on Linux: the kernel's mount table, the
// response actions' sysfs rule for what is removable, the real `mount` command. Elsewhere
// there is none, and read_only / copies_sealed are reported as not enforced.
import type { FolderSealReport } from '../../protection/sealing/folder-sealer';
import { ExecCommandRunner } from '../../response/actions/command-runner';
import { readMountTable } from '../../response/actions/linux/mount-table';
import { isRemovableBySysfs } from '../../response/actions/linux/removable-sysfs';
import { RemovableMountGuard } from './removable-mount-guard';
import { RemountLedger } from './remount-ledger';

/** A newly mounted stick stays writable at most this long under read_only. */
const MOUNT_POLL_MS = 2_000;

export function linuxRemovableGuard(
  sealer: { sealFolders(folders: readonly string[], policyVersion: number): Promise<FolderSealReport> },
  sweepMs: number,
  /** The agent's data folder: what it made read-only is kept there across restarts. */
  dataDir: string,
  platform: NodeJS.Platform = process.platform,
): RemovableMountGuard | null {
  if (platform !== 'linux') return null;
  return new RemovableMountGuard({
    mounts: () => readMountTable('/proc/self/mountinfo'),
    isRemovable: (mount) => isRemovableBySysfs('/sys', mount),
    runner: new ExecCommandRunner(),
    sealer,
    pollMs: MOUNT_POLL_MS,
    sweepMs,
    record: new RemountLedger(dataDir),
  });
}
