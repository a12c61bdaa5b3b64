// The agent's response core: a verified command → journal → guard (deferral, cap,
// warning countdown) → action → result; and what the tray may ask (ResponseControl).
//
// Invariants:
// - Nothing in a payload is believed before its signature is verified (verify-command.ts).
// - A command id is journalled before its action starts and runs at most once
//   (command-journal.ts); results stay on disk until the manager acknowledges them.
// - The manager may send a command again (delivery is at least once): the same payload
//   gets its kept result back, never a second run; its id with another payload is refused.
// - A countdown survives a restart: resumed for the time left, or, if its deadline passed
//   meanwhile, run then only while the command has not expired; the guard decides at run time.
// - A reversible outcome's UndoRecord is stored before the result is sent, and leaves the
//   store only once undone (by command, by IT staff with a code, or at its expiry).
// - Without actions (a platform without them, or not yet wired) every command that would
//   act fails with "no actions on this platform"; nothing is pretended.
import { randomUUID } from 'node:crypto';
import {
  CommandOutcome,
  CommandPayload,
  type AgentMessage,
  type CommandResult,
  type LocalAction,
  type SignedCommand,
} from '@wardwatch/proto';
import {
  ResponseControlError,
  type BreakGlassRequest,
  type BreakGlassView,
  type MaintenanceRequest,
  type MaintenanceView,
  type OpenSealedReport,
  type OpenSealedRequest,
  type ResponseActionView,
  type ResponseControl,
  type ResponseStatus,
  type RestoreFilesReport,
  type RestoreFilesRequest,
  type UndoRequest,
} from '@wardwatch/shared/agent';
import type { Logger } from '../logging/logger';
import type { FileRestorer, RestoreTarget } from '../protection/versions/version-protection';
import type { AuthorisedOpen } from '../protection/sealing/authorised-open';
import { SealError } from '../protection/sealing/seal-error';
import type { AccountResolver } from './account-resolver';
import type { ActionOptions, ActionOutcome, ProcessFinder, ResponseActions } from './actions/response-actions';
import type { CommandKeyStore } from './command-keys/command-key-store';
import { CommandJournal, type Unfinished } from './command-journal';
import { commandResult, stateOf } from './command-result';
import { ActionViews } from './action-views';
import { countsTowardCap, deferralReason } from './guard/guard-rules';
import { GuardPeriods } from './guard/guard-periods';
import { GuardStateStore, type GuardState } from './guard/guard-state-store';
import { LocalCap } from './guard/local-cap';
import type { WarningNotifier } from './guard/warning-notifier';
import { LocalActionQueue } from './local-action-queue';
import { UndoStore } from './undo-store';
import { UndoExpiry } from './undo-expiry';
import { clampDelay } from './timer-delay';
import { verifyCommand, type VerifiedCommand } from './verify-command';
import { verifyMaintenanceCode } from './verify-maintenance-code';
import { planAction, warnedAccount } from './action-plan';
import { NO_SESSION_USER, type SessionUser } from './session-user';

export interface ResponseSettings {
  enabled: boolean;
  dryRun: boolean;
  maxAutomaticPerMinute: number;
}

export interface ResponseServiceOptions {
  dataDir: string;
  agentId: string;
  keys: CommandKeyStore;
  /** The OS actions; null until the platform's are plugged in (every action then fails). */
  actions: ResponseActions | null;
  processFinder?: ProcessFinder | null;
  accounts: AccountResolver;
  /** The agent's watched folders with their classes (kill by folder class). */
  folders: readonly { path: string; class: string }[];
  notifier: WarningNotifier;
  /** The version store's restore (protection/versions/); absent: restore_files fails, the tray's restore answers 503. */
  restorer?: FileRestorer | null;
  /** Opens a sealed file of the policy's folders through the manager (protection/sealing/); absent: 503. */
  sealedOpener?: Pick<AuthorisedOpen, 'open'> | null;
  settings: ResponseSettings;
  logger: Logger;
  now?: () => number;
  /** Who is at the workstation, pseudonymised, for LocalAction reports (session-user.ts); '' when unknown. */
  sessionUser?: SessionUser;
}

const { COMMAND_OUTCOME_DONE, COMMAND_OUTCOME_FAILED, COMMAND_OUTCOME_REFUSED } = CommandOutcome;
const { COMMAND_OUTCOME_DEFERRED, COMMAND_OUTCOME_DRY_RUN, COMMAND_OUTCOME_WARNING } = CommandOutcome;

type Send = (message: AgentMessage) => boolean;

export class ResponseService implements ResponseControl {
  private readonly journal: CommandJournal;
  private readonly guard: GuardStateStore;
  private readonly undoStore: UndoStore;
  private readonly localActions: LocalActionQueue;
  private readonly cap: LocalCap;
  private readonly views = new ActionViews();
  private readonly undoExpiry: UndoExpiry;
  private readonly countdowns = new Map<string, NodeJS.Timeout>();
  private send: Send | null = null;
  private readonly periods: GuardPeriods;
  private readonly now: () => number;
  private readonly log: Logger;
  private stopped = false;
  /** LocalActions being reported, one after the other so they keep the order they happened in. */
  private localReports: Promise<void> = Promise.resolve();

  constructor(private readonly options: ResponseServiceOptions) {
    this.now = options.now ?? Date.now;
    this.log = options.logger.child({ component: 'response' });
    this.journal = new CommandJournal(options.dataDir, this.now());
    this.guard = new GuardStateStore(options.dataDir);
    this.undoStore = new UndoStore(options.dataDir);
    this.localActions = new LocalActionQueue(options.dataDir);
    this.cap = new LocalCap(options.settings.maxAutomaticPerMinute);
    this.undoExpiry = new UndoExpiry(this.undoStore, (commandId) => this.runUndo(commandId), this.now, this.log);
    this.periods = new GuardPeriods(this.guard, this.now, (ended) => {
      const kind = ended.which === 'breakGlass' ? 'break_glass_ended' : 'maintenance_ended';
      const seconds = Math.max(0, Math.round((ended.endedAt - ended.since) / 1_000));
      void this.pushLocal(kind, ended.why, seconds, '', ended.endedAt);
      this.log.info(`${ended.which === 'breakGlass' ? 'break-glass' : 'maintenance mode'} ended`, { why: ended.why });
    });
  }

  /**
   * Ends periods that ran out while the agent was down, finishes the commands a restart
   * interrupted (resuming countdowns), undoes expired records, arms the timers.
   */
  async start(): Promise<void> {
    this.periods.arm();
    for (const left of this.journal.unfinished()) await this.resume(left);
    await this.undoExpiry.undoExpired();
    await this.localReports;
  }

  /** A response the agent took on its own (the fanotify gate's kill), reported to the manager, audited there. */
  reportLocalAction(kind: 'ransomware_stopped', reason: string): Promise<void> {
    return this.pushLocal(kind, reason, 0, '');
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    for (const timer of this.countdowns.values()) clearTimeout(timer);
    this.countdowns.clear();
    this.periods.stop();
    this.undoExpiry.stop();
    this.journal.close();
  }

  // --- the session side (response-channel.ts) ---

  /** The stream is accepted: unacknowledged results and waiting local actions go out. */
  connected(send: Send): void {
    this.send = send;
    this.flush();
  }

  disconnected(): void {
    this.send = null;
    this.journal.requeue();
  }

  acknowledge(commandId: string, outcome: CommandOutcome): void {
    if (this.journal.ack(commandId, outcome))
      this.log.debug('command result acknowledged', { commandId, outcome: stateOf(outcome) });
  }

  commandKeyIds(): string[] {
    return this.options.keys.ids();
  }

  async handleSignedCommand(signed: SignedCommand): Promise<void> {
    const now = this.now();
    const verified = verifyCommand(signed, {
      key: (id) => this.options.keys.get(id),
      agentId: this.options.agentId,
      now,
    });
    if (!verified.ok) {
      this.log.warn('command refused', { commandId: verified.commandId, reason: verified.reason });
      // Not journalled: a forged command must not be able to reserve a real id.
      this.sendNow(commandResult(verified.commandId, COMMAND_OUTCOME_REFUSED, verified.reason, now));
      return;
    }
    const payload = verified.payload;
    const seen = this.journal.seen(payload.commandId, verified.payloadHash);
    if (seen === 'other') {
      // Never run, and no result under this id: it belongs to the command journalled first,
      // and a REFUSED here could be taken by the manager for that one's final state.
      this.log.warn('command refused: its id was already used by a different command', {
        commandId: payload.commandId,
      });
      return;
    }
    if (seen === 'same') {
      // Sent again (its first copy's stream may have died): its kept result, not a second run.
      const again = this.journal.repeat(payload.commandId);
      this.log.info('command repeated: its result sent again, not run again', {
        commandId: payload.commandId,
        results: again.length,
      });
      for (const result of again) this.sendNow(result);
      return;
    }
    this.journal.receive(payload.commandId, verified.payloadHash, payload.expiresAtMs);
    const retired = this.options.keys.confirmUse(verified.keyId);
    if (retired) this.log.info('command key retired after rotation', { retired, by: verified.keyId });
    this.views.received(payload, now);
    this.log.info('command accepted', {
      commandId: payload.commandId,
      action: payload.action.$case,
      automatic: payload.automatic,
      dryRun: payload.dryRun || this.options.settings.dryRun,
    });
    await this.dispatch(payload, verified.keyId);
  }

  // --- ResponseControl (the tray, through the local API) ---

  status(): ResponseStatus {
    return {
      commandsEnabled: this.options.settings.enabled && this.options.keys.ids().length > 0,
      dryRun: this.options.settings.dryRun,
      actions: this.views.list(),
      breakGlass: this.periods.breakGlassView(),
      maintenance: this.periods.maintenanceView(),
    };
  }

  async declareBreakGlass(request: BreakGlassRequest): Promise<BreakGlassView> {
    const now = this.now();
    const until = now + request.minutes * 60_000;
    this.guard.update((s) => ({ ...s, breakGlass: { reason: request.reason, since: now, until } }), now);
    const reported = this.pushLocal('break_glass', request.reason, request.minutes * 60, '');
    this.log.warn('break-glass declared', { minutes: request.minutes, until: new Date(until).toISOString() });
    this.periods.arm();
    await reported;
    return this.periods.breakGlassView();
  }

  async endBreakGlass(): Promise<BreakGlassView> {
    this.periods.end('breakGlass', 'ended at the workstation');
    await this.localReports;
    return this.periods.breakGlassView();
  }

  // async: a refused code is a rejected promise, never a synchronous throw.
  async startMaintenance(request: MaintenanceRequest): Promise<MaintenanceView> {
    await Promise.resolve();
    const now = this.now();
    const until = now + request.minutes * 60_000;
    // The code is spent and the period begins in one write of the guard state.
    const payload = this.spendCode(request.code, request.minutes, (s, codeId) => ({
      ...s,
      maintenance: { reason: request.reason, since: now, until, codeId },
    }));
    const reported = this.pushLocal(
      'maintenance',
      `${request.reason} (code ${payload.codeId})`,
      request.minutes * 60,
      '',
    );
    this.log.warn('maintenance mode started', { codeId: payload.codeId, minutes: request.minutes });
    this.periods.arm();
    await reported;
    return this.status().maintenance;
  }

  async endMaintenance(): Promise<MaintenanceView> {
    this.periods.end('maintenance', 'ended at the workstation');
    await this.localReports;
    return this.status().maintenance;
  }

  async undo(request: UndoRequest): Promise<ResponseActionView> {
    const stored = this.undoStore.get(request.commandId);
    if (!stored) throw new ResponseControlError(404, 'nothing to undo for that command');
    const payload = this.spendCode(request.code);
    const outcome = await this.runUndo(request.commandId);
    if (!outcome.ok) throw new ResponseControlError(409, `the undo failed: ${outcome.message}`);
    await this.pushLocal('undo', `undone by IT staff (code ${payload.codeId})`, 0, request.commandId);
    return this.views.undoneView(request.commandId, outcome.message, this.now());
  }

  /**
   * IT staff open a sealed file for the user signed in here. The code is spent first (as for a
   * restore); the manager unwraps the key only for a live agent and KEK and audits the open
   * (seal.unwrap) with the user's pseudonym and the reason, which names the code.
   */
  async openSealed(request: OpenSealedRequest): Promise<OpenSealedReport> {
    const opener = this.options.sealedOpener;
    if (!opener) throw new ResponseControlError(503, 'sealed files cannot be opened on this workstation');
    await Promise.resolve();
    const payload = this.spendCode(request.code);
    const user = await (this.options.sessionUser ?? NO_SESSION_USER)().catch(() => '');
    if (!user) throw new ResponseControlError(409, 'nobody is signed in here: a sealed file is opened for a user');
    try {
      const opened = await opener.open({
        path: request.path,
        userToken: user,
        reason: `${request.reason} (code ${payload.codeId})`.slice(0, 500),
      });
      this.log.warn('sealed file opened by IT staff', { codeId: payload.codeId, policyVersion: opened.policyVersion });
      return { out: opened.out, policyVersion: opened.policyVersion };
    } catch (error) {
      if (error instanceof SealError)
        throw new ResponseControlError(error.code === 'not_allowed' ? 403 : 400, error.message);
      throw error;
    }
  }

  async restoreFiles(request: RestoreFilesRequest): Promise<RestoreFilesReport> {
    const restorer = this.options.restorer;
    if (!restorer) throw new ResponseControlError(503, 'no version store on this workstation');
    await Promise.resolve();
    const payload = this.spendCode(request.code);
    const target: RestoreTarget = {
      since: request.since,
      removeCreatedExtensions: request.removeCreatedExtensions,
      dryRun: request.dryRun,
      ...(request.folder !== undefined ? { folder: request.folder } : { folderClass: request.folderClass }),
    };
    const outcome = await restorer.restore(target);
    if (!outcome.ok) throw new ResponseControlError(400, outcome.reason);
    const report = { ...outcome.report, dryRun: request.dryRun };
    // Audited at the manager as a local action (no path: counts only).
    await this.pushLocal(
      'restore_files',
      `${request.reason} (code ${payload.codeId}): ${restoreSummary(report)}`,
      0,
      '',
    );
    this.log.warn('files restored by IT staff', { codeId: payload.codeId, ...report });
    return report;
  }

  // --- commands ---

  private async dispatch(payload: VerifiedCommand, keyId: string): Promise<void> {
    const id = payload.commandId;
    const action = payload.action;
    if (!this.options.settings.enabled)
      return this.record(id, COMMAND_OUTCOME_FAILED, 'response actions are turned off on this workstation');
    if (action.$case === 'rotateCommandKey') {
      const next = action.value.next;
      if (!next) return this.record(id, COMMAND_OUTCOME_FAILED, 'no key to rotate to');
      const pinned = this.options.keys.pinNext(next, keyId);
      if (pinned.rejected.length > 0)
        return this.record(id, COMMAND_OUTCOME_FAILED, `key not pinned: ${pinned.rejected[0]?.problem ?? ''}`);
      return this.record(id, COMMAND_OUTCOME_DONE, 'new command key pinned beside the current one', {
        keyId: next.keyId,
      });
    }
    const deferred = this.deferral(payload);
    if (deferred) return this.record(id, COMMAND_OUTCOME_DEFERRED, deferred);
    if (countsTowardCap(action.$case, payload.automatic) && !this.cap.take(this.now()))
      return this.record(
        id,
        COMMAND_OUTCOME_DEFERRED,
        `local cap of ${this.options.settings.maxAutomaticPerMinute} automatic actions per minute reached`,
      );
    const warns = action.$case === 'revokeSession' || action.$case === 'lockScreen';
    if (warns && payload.warningSeconds > 0) return this.startCountdown(payload);
    await this.execute(payload);
  }

  private deferral(payload: VerifiedCommand): string | null {
    return deferralReason(payload.action.$case, payload.automatic, this.periods.situation());
  }

  private startCountdown(payload: VerifiedCommand): void {
    const runsAt = this.now() + payload.warningSeconds * 1_000;
    this.journal.countdown(payload.commandId, runsAt, CommandPayload.encode(payload).finish());
    this.record(payload.commandId, COMMAND_OUTCOME_WARNING, `user warned; runs at ${new Date(runsAt).toISOString()}`, {
      runsAt,
    });
    this.armCountdown(payload, runsAt);
  }

  /** Warns the user (again, after a restart) and runs the action at `runsAt`. */
  private armCountdown(payload: VerifiedCommand, runsAt: number): void {
    const seconds = Math.max(1, Math.ceil((runsAt - this.now()) / 1_000));
    const verb = payload.action.$case === 'lockScreen' ? 'locked' : 'ended';
    const message = `Save your work: this session will be ${verb} in ${seconds} s. ${payload.reason}`.trim();
    this.views.warned(payload.commandId, runsAt);
    void warnedAccount(payload.action, this.options.accounts)
      .then((account) => this.options.notifier.warn(message, account ?? undefined))
      .catch((error: unknown) => this.log.warn('warning notification failed', { error: String(error) }));
    const timer = setTimeout(
      () => {
        this.countdowns.delete(payload.commandId);
        if (this.stopped) return;
        void this.afterCountdown(payload);
      },
      clampDelay(runsAt - this.now()),
    );
    this.countdowns.set(payload.commandId, timer);
  }

  private async afterCountdown(payload: VerifiedCommand): Promise<void> {
    // An emergency declared during the countdown still protects the clinician.
    const deferred = this.deferral(payload);
    if (deferred) return this.record(payload.commandId, COMMAND_OUTCOME_DEFERRED, deferred);
    await this.execute(payload);
  }

  /** A command a restart interrupted: its countdown goes on, or ends now; an action cut short is not run again. */
  private async resume(left: Unfinished): Promise<void> {
    const payload = left.countdown ? decodeJournalled(left.countdown.payload) : null;
    if (!left.countdown || !payload) {
      const message = left.warned
        ? 'the agent restarted during the warning; the action was not run'
        : 'the agent stopped while the action ran; it is not run again and its effect is unknown';
      return this.record(left.id, COMMAND_OUTCOME_FAILED, message);
    }
    const now = this.now();
    this.views.received(payload, now, 'countdown resumed after a restart');
    if (left.countdown.runsAt > now) {
      this.log.info('countdown resumed after a restart', { commandId: left.id, runsAt: left.countdown.runsAt });
      return this.armCountdown(payload, left.countdown.runsAt);
    }
    if (now >= payload.expiresAtMs)
      return this.record(
        left.id,
        COMMAND_OUTCOME_REFUSED,
        'expired while the agent was down during its warning; the action was not run',
      );
    this.log.info('countdown ended while the agent was down: the action runs now', { commandId: left.id });
    await this.afterCountdown(payload);
  }

  private async execute(payload: VerifiedCommand): Promise<void> {
    const id = payload.commandId;
    const actions = this.options.actions;
    const options: ActionOptions = { dryRun: payload.dryRun || this.options.settings.dryRun };
    if (payload.action.$case === 'undo') {
      const outcome = await this.runUndo(payload.action.value.commandId, options);
      return this.recordOutcome(id, outcome, options);
    }
    if (payload.action.$case === 'restoreFiles') return this.runRestore(id, payload.action.value, options);
    if (!actions) return this.record(id, COMMAND_OUTCOME_FAILED, 'no actions on this platform');
    let outcome: ActionOutcome;
    try {
      const run = await planAction(payload.action, actions, options, this.options);
      if (typeof run === 'string') return this.record(id, COMMAND_OUTCOME_FAILED, run);
      outcome = await run();
    } catch (error) {
      this.log.error('response action failed', { commandId: id, error: String(error) });
      return this.record(id, COMMAND_OUTCOME_FAILED, 'the action failed on the workstation');
    }
    if (outcome.undo && outcome.ok && !options.dryRun) this.undoStore.add(id, outcome.undo, this.now());
    this.undoExpiry.schedule();
    this.recordOutcome(id, outcome, options);
  }

  // --- restore ---

  private async runRestore(
    id: string,
    action: { folderClass: string; sinceMs: number; removeCreatedExtensions: string[] },
    options: ActionOptions,
  ): Promise<void> {
    const restorer = this.options.restorer;
    if (!restorer) return this.record(id, COMMAND_OUTCOME_FAILED, 'no version store on this workstation');
    let outcome;
    try {
      outcome = await restorer.restore({
        folderClass: action.folderClass,
        since: action.sinceMs,
        removeCreatedExtensions: action.removeCreatedExtensions.slice(0, 16),
        dryRun: options.dryRun,
      });
    } catch (error) {
      this.log.error('restore failed', { commandId: id, error: String(error) });
      return this.record(id, COMMAND_OUTCOME_FAILED, 'the restore failed on the workstation');
    }
    if (!outcome.ok) return this.record(id, COMMAND_OUTCOME_FAILED, outcome.reason);
    const report = { ...outcome.report, dryRun: options.dryRun };
    const code = options.dryRun ? COMMAND_OUTCOME_DRY_RUN : COMMAND_OUTCOME_DONE;
    this.record(id, code, restoreSummary(report), report);
  }

  // --- undo ---

  private async runUndo(commandId: string, options: ActionOptions = { dryRun: false }): Promise<ActionOutcome> {
    const stored = this.undoStore.get(commandId);
    if (!stored) return { ok: false, message: 'nothing to undo for that command', details: {} };
    if (!this.options.actions) return { ok: false, message: 'no actions on this platform', details: {} };
    let outcome: ActionOutcome;
    try {
      outcome = await this.options.actions.undo(stored.record, options);
    } catch (error) {
      this.log.error('undo failed', { commandId, error: String(error) });
      return { ok: false, message: 'the undo failed on the workstation', details: {} };
    }
    if (outcome.ok && !options.dryRun) {
      this.undoStore.remove(commandId);
      this.views.undone(commandId, this.now());
      this.log.info('action undone', { commandId });
    }
    this.undoExpiry.schedule();
    return outcome;
  }

  /** Checks an IT maintenance code and marks it used (with `alongside`, in the same write): each code opens one thing once. */
  private spendCode(
    code: string,
    minutes?: number,
    alongside: (state: GuardState, codeId: string) => GuardState = (state) => state,
  ) {
    const checked = verifyMaintenanceCode(code, {
      key: (id) => this.options.keys.get(id),
      agentId: this.options.agentId,
      now: this.now(),
      isUsed: (codeId) => this.guard.get().usedCodes.some((c) => c.codeId === codeId),
      minutes,
    });
    if (!checked.ok) {
      this.log.warn('maintenance code refused', { reason: checked.reason });
      throw new ResponseControlError(403, checked.reason);
    }
    const { codeId, expiresAtMs } = checked.payload;
    this.guard.update(
      (s) => alongside({ ...s, usedCodes: [...s.usedCodes, { codeId, expiresAtMs }] }, codeId),
      this.now(),
    );
    return checked.payload;
  }

  // --- results, views and local actions ---

  private recordOutcome(id: string, outcome: ActionOutcome, options: ActionOptions): void {
    const code = !outcome.ok ? COMMAND_OUTCOME_FAILED : options.dryRun ? COMMAND_OUTCOME_DRY_RUN : COMMAND_OUTCOME_DONE;
    this.record(id, code, outcome.message, outcome.details);
  }

  private record(id: string, outcome: CommandOutcome, message: string, details: Record<string, unknown> = {}): void {
    const now = this.now();
    const result = commandResult(id, outcome, message, now, details);
    this.journal.addResult(result);
    const undo = this.undoStore.get(id);
    this.views.finished(
      id,
      {
        state: stateOf(outcome),
        message: result.message,
        final: outcome !== COMMAND_OUTCOME_WARNING,
        undoExpiresAt: undo ? undo.record.expiresAtMs : undefined,
      },
      now,
    );
    this.log.info('command result', { commandId: id, outcome: stateOf(outcome), message: result.message });
    this.flush();
  }

  private sendNow(result: CommandResult): void {
    this.send?.({ body: { $case: 'commandResult', value: result } });
  }

  private flush(): void {
    const send = this.send;
    if (!send) return;
    for (const result of this.journal.takeUnsent()) send({ body: { $case: 'commandResult', value: result } });
    for (const action of this.localActions.drain()) send({ body: { $case: 'localAction', value: action } });
  }

  /** Queues a LocalAction report with the user of the active session (pseudonymised; '' when unknown). */
  private pushLocal(
    kind: string,
    reason: string,
    durationSeconds: number,
    commandId: string,
    timeMs = this.now(),
  ): Promise<void> {
    const id = randomUUID();
    const sessionUser = this.options.sessionUser ?? NO_SESSION_USER;
    this.localReports = this.localReports.then(async () => {
      const user = await sessionUser().catch(() => '');
      const action: LocalAction = { id, timeMs, kind, user, reason: reason.slice(0, 500), durationSeconds, commandId };
      this.localActions.push(action);
      this.flush();
    });
    this.localReports = this.localReports.catch((error: unknown) =>
      this.log.error('local action not queued', { kind, error: String(error) }),
    );
    return this.localReports;
  }
}

/** A payload this agent verified before it journalled it; null if the journal line is unreadable. */
function decodeJournalled(bytes: Uint8Array): VerifiedCommand | null {
  try {
    const payload = CommandPayload.decode(bytes);
    return payload.action ? (payload as VerifiedCommand) : null;
  } catch {
    return null;
  }
}

function restoreSummary(report: RestoreFilesReport): string {
  const verb = report.dryRun ? 'would restore' : 'restored';
  const failed = report.failed > 0 ? `, ${report.failed} could not be` : '';
  return `${verb} ${report.restored} of ${report.changed} changed files${failed}; removed ${report.removed} new files of the attack`;
}
