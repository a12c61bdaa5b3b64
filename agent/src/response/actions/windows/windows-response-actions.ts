// ResponseActions on Windows: the builders of windows-commands.ts run through the
// injected CommandRunner. What has no builder yet answers ok:false and says so.
import { type CommandRunner, describeFailure } from '../command-runner';
import { expiry, planned, refused, unsupported } from '../outcome';
import type {
  ActionOptions,
  ActionOutcome,
  LocalAccount,
  ProcessRef,
  ResponseActions,
  UndoRecord,
} from '../response-actions';
import { runAll } from '../run-argv';
import type { AccountPolicy } from '../account-guard';
import type { Clock } from '../clock';
import { collectPortableDiagnostics, type PortableDiagnosticsDeps } from '../portable/collect-diagnostics';
import {
  type Argv,
  checkWindowsName,
  logoffArgv,
  netUserActiveArgv,
  parseQuser,
  quserArgv,
  taskkillTreeArgv,
  tsdisconArgv,
  type WindowsSession,
  writeProtectDeleteArgv,
  writeProtectQueryArgv,
  writeProtectSetArgv,
} from './windows-commands';

export class WindowsResponseActions implements ResponseActions {
  constructor(
    private readonly runner: CommandRunner,
    private readonly clock: Clock,
    private readonly policy: AccountPolicy,
    private readonly diagnostics: PortableDiagnosticsDeps,
  ) {}

  async revokeSession(
    target: { account?: LocalAccount; sessionId?: string },
    options: ActionOptions,
  ): Promise<ActionOutcome> {
    if (target.sessionId === undefined) {
      if (!target.account) return refused('no account or session named');
      // Windows has no uid numbering; root-like accounts are refused by name.
      const why = refuseName(target.account.name);
      if (why) return refused(why);
      if (!this.policy.allowSystemAccounts && /^(administrator|system)$/i.test(target.account.name))
        return refused('refused: built-in accounts are never revoked automatically');
    }
    const name = target.account?.name.toLowerCase();
    const ids = await this.sessionIds(target.sessionId, (s) => s.userName.toLowerCase() === name);
    if (!Array.isArray(ids)) return ids;
    const steps = ids.map(logoffArgv);
    if (options.dryRun) return planned(`would log off ${ids.length} sessions`, steps);
    const { failures } = await runAll(this.runner, steps);
    const details = { sessions: ids.length - failures.length, failures };
    return { ok: failures.length === 0, message: failures[0] ?? `${ids.length} sessions logged off`, details };
  }

  /**
   * The service runs in session 0, where LockWorkStation locks nothing; `tsdiscon` works on any
   * session from there: the session goes to the sign-in screen and its programs keep running (a
   * chart being written is not lost), and its owner signs in again to come back. No undo: only
   * the owner's password opens it, as with a lock.
   */
  async lockScreen(
    target: { account?: LocalAccount; sessionId?: string },
    options: ActionOptions,
  ): Promise<ActionOutcome> {
    const name = target.account?.name.toLowerCase();
    // Disconnected sessions are at the sign-in screen already; quser leaves their session name
    // empty, in every language (the state column is translated).
    const ids = await this.sessionIds(
      target.sessionId,
      (s) => s.sessionName !== '' && (name === undefined || s.userName.toLowerCase() === name),
    );
    if (!Array.isArray(ids)) return ids;
    const steps = ids.map(tsdisconArgv);
    const details = { method: 'tsdiscon' };
    if (options.dryRun) return planned(`would lock ${ids.length} sessions`, steps, details);
    if (ids.length === 0) return { ok: false, message: 'no active session to lock', details };
    const { failures } = await runAll(this.runner, steps);
    return {
      ok: failures.length === 0,
      message: failures[0] ?? `${ids.length} sessions locked (disconnected to the sign-in screen)`,
      details: { ...details, sessions: ids.length - failures.length, failures },
    };
  }

  /** The session given by id, else those `quser` lists that `keep` keeps; an outcome when neither is had. */
  private async sessionIds(
    sessionId: string | undefined,
    keep: (session: WindowsSession) => boolean,
  ): Promise<number[] | ActionOutcome> {
    if (sessionId !== undefined)
      return /^\d{1,10}$/.test(sessionId) ? [Number(sessionId)] : refused('session id not valid');
    const [command, ...args] = quserArgv();
    const listed = await this.runner.run(command, args);
    if (listed.code !== 0 && listed.stdout === '')
      return { ok: false, message: `quser failed: ${describeFailure(listed)}`, details: {} };
    return parseQuser(listed.stdout)
      .filter(keep)
      .map((s) => s.id);
  }

  async killProcessTree(targets: ProcessRef[], options: ActionOptions): Promise<ActionOutcome> {
    if (targets.length === 0) return refused('no process named');
    // No start-time check here: Windows pids are not reused as eagerly, and taskkill takes pids only.
    let steps: Argv[];
    try {
      steps = targets.map((t) => taskkillTreeArgv(t.pid));
    } catch (error) {
      return refused((error as Error).message);
    }
    if (options.dryRun) return planned(`would kill ${targets.length} process trees`, steps);
    const { failures } = await runAll(this.runner, steps);
    return {
      ok: failures.length === 0,
      message: failures[0] ?? `${targets.length} process trees killed`,
      details: { failures },
    };
  }

  async blockRemovable(durationSeconds: number, options: ActionOptions): Promise<ActionOutcome> {
    const [qc, ...qa] = writeProtectQueryArgv();
    const before = options.dryRun ? undefined : await this.runner.run(qc, qa);
    const previous = before ? /WriteProtect\s+REG_DWORD\s+0x([0-9a-f]+)/i.exec(before.stdout)?.[1] : undefined;
    const steps = [writeProtectSetArgv(1)];
    if (options.dryRun)
      return planned('would set StorageDevicePolicies WriteProtect=1', [writeProtectQueryArgv(), ...steps]);
    const { failures } = await runAll(this.runner, steps);
    if (failures.length > 0) return { ok: false, message: failures[0], details: {} };
    const undo: UndoRecord = {
      kind: 'unblock_removable',
      data: { windowsWriteProtect: previous === undefined ? '' : parseInt(previous, 16) },
      expiresAtMs: expiry(this.clock.nowMs(), durationSeconds),
    };
    return { ok: true, message: 'removable storage write-protected (volumes mounted from now on)', details: {}, undo };
  }

  async disableAccount(account: LocalAccount, durationSeconds: number, options: ActionOptions): Promise<ActionOutcome> {
    const why = refuseName(account.name);
    if (why) return refused(why);
    if (!this.policy.allowSystemAccounts && /^(administrator|system)$/i.test(account.name))
      return refused('refused: built-in accounts are never disabled automatically');
    const steps = [netUserActiveArgv(account.name, false)];
    if (options.dryRun) return planned('would disable the account', steps);
    const { failures } = await runAll(this.runner, steps);
    if (failures.length > 0) return { ok: false, message: failures[0], details: {} };
    const undo: UndoRecord = {
      kind: 'enable_account',
      data: { name: account.name, uid: account.uid },
      expiresAtMs: expiry(this.clock.nowMs(), durationSeconds),
    };
    return { ok: true, message: 'account disabled', details: {}, undo };
  }

  collectDiagnostics(options: ActionOptions): Promise<ActionOutcome> {
    return collectPortableDiagnostics(this.diagnostics, options);
  }

  async undo(record: UndoRecord, options: ActionOptions): Promise<ActionOutcome> {
    let steps: Argv[];
    if (record.kind === 'enable_account' && typeof record.data.name === 'string') {
      const why = refuseName(record.data.name);
      if (why) return refused(why);
      steps = [netUserActiveArgv(record.data.name, true)];
    } else if (record.kind === 'unblock_removable' && 'windowsWriteProtect' in record.data) {
      const previous = record.data.windowsWriteProtect;
      steps = [previous === '' ? writeProtectDeleteArgv() : writeProtectSetArgv(previous === 1 ? 1 : 0)];
    } else return unsupported('this undo', 'Windows', 'no builder for it');
    if (options.dryRun) return planned('would undo', steps);
    const { failures } = await runAll(this.runner, steps);
    return { ok: failures.length === 0, message: failures[0] ?? 'undone', details: {} };
  }
}

function refuseName(name: string): string | undefined {
  try {
    checkWindowsName(name);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}
