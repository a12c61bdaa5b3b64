// Picks the platform's ResponseActions and gives it the real side effects, each of which a
// caller (a test, or the runtime with its config) may replace.
import { type AccountPolicy } from './account-guard';
import { type Clock, systemClock } from './clock';
import { type CommandRunner, ExecCommandRunner } from './command-runner';
import { DEFAULT_GRACE_MS, type LinuxDeps } from './linux/linux-deps';
import { LinuxResponseActions } from './linux/linux-response-actions';
import type { MountEntry } from './linux/mount-table';
import { ProcFsReader, type ProcReader } from './linux/proc-reader';
import { MacosResponseActions } from './macos/macos-response-actions';
import { unsupported } from './outcome';
import {
  type DiagnosticsSource,
  type PortableDiagnosticsDeps,
  systemDiagnostics,
} from './portable/collect-diagnostics';
import type { ResponseActions } from './response-actions';
import { ProcessSignalSender, type SignalSender } from './signal-sender';
import { WindowsResponseActions } from './windows/windows-response-actions';

export interface CreateResponseActionsOptions {
  platform?: NodeJS.Platform;
  runner?: CommandRunner;
  clock?: Clock;
  /** Linux only from here on (but `agentStartedAtMs`, and `diagnostics` elsewhere). */
  proc?: ProcReader;
  signals?: SignalSender;
  /** Root and system accounts may be revoked / disabled (default false: see account-guard.ts). */
  allowSystemAccounts?: boolean;
  graceMs?: number;
  passwdPath?: string;
  shadowPath?: string;
  sysRoot?: string;
  mountinfoPath?: string;
  isRemovableMount?: (mount: MountEntry) => boolean;
  agentStartedAtMs?: number;
  /** Windows and macOS: what collectDiagnostics reads (systeminformation by default). */
  diagnostics?: DiagnosticsSource;
}

export function createResponseActions(options: CreateResponseActionsOptions = {}): ResponseActions {
  const platform = options.platform ?? process.platform;
  const runner = options.runner ?? new ExecCommandRunner();
  const clock = options.clock ?? systemClock;
  const policy: AccountPolicy = { allowSystemAccounts: options.allowSystemAccounts ?? false };
  switch (platform) {
    case 'linux':
      return new LinuxResponseActions(linuxDeps(options, runner, clock, policy));
    case 'win32':
      return new WindowsResponseActions(runner, clock, policy, portableDiagnostics(options, clock));
    case 'darwin':
      return new MacosResponseActions(runner, clock, policy, portableDiagnostics(options, clock));
    default:
      return unsupportedEverywhere(platform);
  }
}

function linuxDeps(
  o: CreateResponseActionsOptions,
  runner: CommandRunner,
  clock: Clock,
  policy: AccountPolicy,
): LinuxDeps {
  return {
    runner,
    clock,
    policy,
    proc: o.proc ?? new ProcFsReader(),
    signals: o.signals ?? new ProcessSignalSender(),
    graceMs: o.graceMs ?? DEFAULT_GRACE_MS,
    passwdPath: o.passwdPath ?? '/etc/passwd',
    shadowPath: o.shadowPath ?? '/etc/shadow',
    sysRoot: o.sysRoot ?? '/sys',
    mountinfoPath: o.mountinfoPath ?? '/proc/self/mountinfo',
    agentStartedAtMs: agentStartedAt(o, clock),
    ...(o.isRemovableMount ? { isRemovableMount: o.isRemovableMount } : {}),
  };
}

function agentStartedAt(o: CreateResponseActionsOptions, clock: Clock): number {
  return o.agentStartedAtMs ?? clock.nowMs() - Math.round(process.uptime() * 1000);
}

function portableDiagnostics(o: CreateResponseActionsOptions, clock: Clock): PortableDiagnosticsDeps {
  return { source: o.diagnostics ?? systemDiagnostics, clock, agentStartedAtMs: agentStartedAt(o, clock) };
}

function unsupportedEverywhere(platform: string): ResponseActions {
  const no = () => Promise.resolve(unsupported('this action', platform, 'no implementation for this OS'));
  return {
    revokeSession: no,
    lockScreen: no,
    killProcessTree: no,
    blockRemovable: no,
    disableAccount: no,
    collectDiagnostics: no,
    undo: no,
  };
}
