// Everything the Linux actions touch, injected: commands, /proc, signals, time, and the
// files and folders they read (so a test can point them at a fixture tree).
import type { AccountPolicy } from '../account-guard';
import type { Clock } from '../clock';
import type { CommandRunner } from '../command-runner';
import type { SignalSender } from '../signal-sender';
import type { ProcReader } from './proc-reader';
import type { MountEntry } from './mount-table';

export interface LinuxDeps {
  runner: CommandRunner;
  proc: ProcReader;
  signals: SignalSender;
  clock: Clock;
  policy: AccountPolicy;
  /** Wait between SIGTERM and SIGKILL when ending a session's processes. */
  graceMs: number;
  passwdPath: string;
  shadowPath: string;
  sysRoot: string;
  mountinfoPath: string;
  /** Decides which mounts are removable media; default: the backing device's sysfs flags. */
  /** For the agent's uptime in diagnostics. */
  agentStartedAtMs: number;
  isRemovableMount?: (mount: MountEntry) => boolean;
}

export const DEFAULT_GRACE_MS = 2_000;
