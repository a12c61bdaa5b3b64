// ResponseActions on macOS: the builders of macos-commands.ts run through the injected
// CommandRunner. What has no builder yet answers ok:false and says so.
import { type AccountPolicy, refuseAccount } from '../account-guard';
import type { Clock } from '../clock';
import { collectPortableDiagnostics, type PortableDiagnosticsDeps } from '../portable/collect-diagnostics';
import { type CommandRunner, describeFailure } from '../command-runner';
import { expiry, planned, refused, unsupported } from '../outcome';
import { descendantsOf } from '../process-tree';
import type {
  ActionOptions,
  ActionOutcome,
  LocalAccount,
  ProcessRef,
  ResponseActions,
  UndoRecord,
} from '../response-actions';
import { runAll } from '../run-argv';
import {
  type Argv,
  bootoutArgv,
  disableUserArgv,
  displaySleepArgv,
  enableUserArgv,
  killArgv,
  listExternalDisksArgv,
  mountDiskArgv,
  mountReadOnlyArgv,
  parseExternalDisks,
  parsePsTable,
  processTableArgv,
  unmountDiskArgv,
} from './macos-commands';

/** macOS numbers regular accounts from 501 (the Linux limit of 1000 would refuse them all). */
const MAC_FIRST_REGULAR_UID = 501;

export class MacosResponseActions implements ResponseActions {
  constructor(
    private readonly runner: CommandRunner,
    private readonly clock: Clock,
    private readonly policy: AccountPolicy,
    private readonly diagnostics: PortableDiagnosticsDeps,
    private readonly selfPid = process.pid,
  ) {}

  async revokeSession(
    target: { account?: LocalAccount; sessionId?: string },
    options: ActionOptions,
  ): Promise<ActionOutcome> {
    const account = target.account;
    if (!account)
      return unsupported(
        'revoking one session by id',
        'macOS',
        'sessions are ended per user (launchctl bootout gui/UID)',
      );
    const why = refuseAccount(account, this.policy, MAC_FIRST_REGULAR_UID);
    if (why) return refused(why);
    return this.run('user session ended', () => [bootoutArgv(account.uid)], options);
  }

  lockScreen(_target: { account?: LocalAccount; sessionId?: string }, options: ActionOptions): Promise<ActionOutcome> {
    return this.run('display asleep (locks where a password is required on wake)', () => [displaySleepArgv()], options);
  }

  async killProcessTree(targets: ProcessRef[], options: ActionOptions): Promise<ActionOutcome> {
    if (targets.length === 0) return refused('no process named');
    const roots = targets.map((t) => t.pid).filter((pid) => pid > 1 && pid !== this.selfPid);
    if (roots.length === 0) return refused('protected pid');
    const table = async (): Promise<number[]> => {
      const [c, ...a] = processTableArgv();
      const listed = await this.runner.run(c, a);
      return [...descendantsOf(roots, parsePsTable(listed.stdout))].filter((p) => p > 1 && p !== this.selfPid);
    };
    const first = await table();
    if (first.length === 0) return refused('not running');
    if (options.dryRun)
      return planned(`would kill ${first.length} processes`, [
        processTableArgv(),
        killArgv('STOP', first),
        killArgv('KILL', first),
      ]);
    // Stop first so none forks away, then take the table again for children born meanwhile.
    await runAll(this.runner, [killArgv('STOP', first)]);
    const all = [...new Set([...first, ...(await table())])];
    const { failures } = await runAll(this.runner, [killArgv('KILL', all)]);
    return {
      ok: failures.length === 0,
      message: failures[0] ?? `${all.length} processes killed`,
      details: { killed: all },
    };
  }

  async blockRemovable(durationSeconds: number, options: ActionOptions): Promise<ActionOutcome> {
    const [c, ...a] = listExternalDisksArgv();
    const listed = await this.runner.run(c, a);
    if (listed.code !== 0) return { ok: false, message: `diskutil failed: ${describeFailure(listed)}`, details: {} };
    const disks = parseExternalDisks(listed.stdout);
    const steps: Argv[] = disks.flatMap((d) => [unmountDiskArgv(d.disk), ...d.volumes.map(mountReadOnlyArgv)]);
    if (options.dryRun)
      return planned(`would remount ${disks.length} external disks read-only`, [listExternalDisksArgv(), ...steps]);
    const { failures } = await runAll(this.runner, steps);
    const undo: UndoRecord | undefined =
      disks.length > 0
        ? {
            kind: 'unblock_removable',
            data: { macDisks: disks.map((d) => d.disk).join(',') },
            expiresAtMs: expiry(this.clock.nowMs(), durationSeconds),
          }
        : undefined;
    return {
      ok: failures.length === 0,
      message: failures[0] ?? `${disks.length} external disks read-only`,
      details: { disks: disks.length },
      ...(undo ? { undo } : {}),
    };
  }

  async disableAccount(account: LocalAccount, durationSeconds: number, options: ActionOptions): Promise<ActionOutcome> {
    const why = refuseAccount(account, this.policy, MAC_FIRST_REGULAR_UID);
    if (why) return refused(why);
    const result = await this.run('account disabled', () => [disableUserArgv(account.name)], options);
    if (!result.ok || options.dryRun) return result;
    return {
      ...result,
      undo: {
        kind: 'enable_account',
        data: { name: account.name, uid: account.uid },
        expiresAtMs: expiry(this.clock.nowMs(), durationSeconds),
      },
    };
  }

  collectDiagnostics(options: ActionOptions): Promise<ActionOutcome> {
    return collectPortableDiagnostics(this.diagnostics, options);
  }

  undo(record: UndoRecord, options: ActionOptions): Promise<ActionOutcome> {
    if (record.kind === 'enable_account' && typeof record.data.name === 'string')
      return this.run('account enabled', () => [enableUserArgv(record.data.name as string)], options);
    if (record.kind === 'unblock_removable' && typeof record.data.macDisks === 'string') {
      const disks = record.data.macDisks.split(',').filter(Boolean);
      return this.run(
        'external disks remounted',
        () => disks.flatMap((d) => [unmountDiskArgv(d), mountDiskArgv(d)]),
        options,
      );
    }
    return Promise.resolve(unsupported('this undo', 'macOS', 'no builder for it'));
  }

  /** Builds the steps (a builder throws on a value it refuses) and runs them, or plans them. */
  private async run(done: string, build: () => Argv[], options: ActionOptions): Promise<ActionOutcome> {
    try {
      const steps = build();
      if (options.dryRun) return planned(done, steps);
      const { failures } = await runAll(this.runner, steps);
      return { ok: failures.length === 0, message: failures[0] ?? done, details: {} };
    } catch (error) {
      return refused((error as Error).message);
    }
  }
}
