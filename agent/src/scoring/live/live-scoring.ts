// Live scoring inside the running agent. Every collected event (clear values:
// scoring is local) goes to the WorkstationScorer; each score is pseudonymised and
// queued for the manager. This must never hold up or break event collection:
// observe() is synchronous and cheap, catches everything and counts it; the
// scorer opens (replaying local history) in the background while events wait
// in a bounded buffer; training runs in a worker thread and reports progress
// in the log; a timer closes windows that end without a later event, and late
// windows (a backlog) once no more of their events come; late events beyond
// `lateEventDays` are counted (stats(), the agent's status) and logged per period.
// How a score leaves (its tokens awaited in OPRF mode, a critical one at once): score-sender.ts.
import { join } from 'node:path';
import { Score, type Event, type FleetModel, type ScoreVerdicts } from '@wardwatch/proto';
import type { AgentStatus } from '@wardwatch/shared/agent';
import type { Logger } from '../../logging/logger';
import { WorkstationScorer } from './workstation-scorer';
import type { ScoreResult } from '../model/risk-model';
import { DEFAULT_RULES_DIR, loadRules } from '../rules/load-rules';
import type { ScoringSettings } from '../../config/scoring-settings';
import { FleetModelRejected, FleetModelStore } from './fleet-model-store';
import type { PseudonymSource } from './reason-text';
import { ScoreChannel } from './score-channel';
import { toScoreMessage } from './score-message';
import { keepLines, takeLines } from './kept-lines';
import { ScoreQueue } from './score-queue';
import { ScoreSender, type SentCounts } from './score-sender';
import { SuspectSearch, type SuspectSearchOptions } from './suspect-search';

export interface LiveScoringOptions {
  settings: ScoringSettings;
  dataDir: string;
  host: string;
  pseudonyms: PseudonymSource;
  logger: Logger;
  now?: () => number;
  /** How often windows that have ended are closed and scored (default: a sixth of a window, at most a minute). */
  tickMs?: number;
  /** How often the agent checks whether it has enough history to train its own model. */
  trainCheckMs?: number;
  /** Names the writing processes in a score raised by a critical rule (Score.suspects); none without it. */
  suspects?: Omit<SuspectSearchOptions, 'pseudonyms'>;
}

/** Late events not scored are logged at most this often (with the counts since the last line). */
export const LATE_LOG_INTERVAL_MS = 15 * 60_000;
/** Events held while the scorer opens; beyond this they are counted and not scored. */
const OPENING_BUFFER = 20_000;
const UNSENT_FILE = 'unsent-scores.ndjson';
/**
 * Scores still waiting for tokens at stop (OPRF mode, manager unreachable), as the scorer made
 * them: in clear, like the held-back events (pending-events.bin), 0600; made again at the next start.
 */
const WAITING_FILE = 'waiting-scores.ndjson';

export interface LiveScoringStats extends SentCounts {
  state: 'opening' | 'running' | 'failed' | 'stopped';
  modelSource: WorkstationScorer['modelSource'];
  errors: number;
  /** Events dated before the current window: scored in windows of their own, or not scored, by reason. */
  late: { scored: number; notScored: number; notScoredByReason: Record<string, number> };
  queue: ReturnType<ScoreQueue['stats']>;
}

export class LiveScoring {
  readonly queue = new ScoreQueue();
  readonly channel: ScoreChannel;
  private readonly fleet: FleetModelStore;
  private readonly log: Logger;
  private readonly now: () => number;
  private scorer: WorkstationScorer | null = null;
  private state: LiveScoringStats['state'] = 'opening';
  private buffer: Event[] = [];
  private opening: Promise<void> | null = null;
  private installing = Promise.resolve();
  /** Verdict batches, one at a time: each reads and rewrites verdicts.json. */
  private judging = Promise.resolve();
  private training = false;
  private reportedHistoryDrops = 0;
  private reportedLate = { at: -Infinity, counts: {} as Record<string, number> };
  private timers: NodeJS.Timeout[] = [];
  private readonly counts = { scored: 0, alerts: 0, errors: 0, notScored: 0, sentWithoutTokens: 0 };
  private readonly stopping = new AbortController();
  private readonly sender: ScoreSender;

  constructor(private readonly options: LiveScoringOptions) {
    this.log = options.logger.child({ component: 'scoring' });
    this.now = options.now ?? Date.now;
    this.fleet = new FleetModelStore(join(options.dataDir, 'scoring'));
    this.channel = new ScoreChannel({
      queue: this.queue,
      logger: this.log,
      fleet: { version: () => this.fleet.version(), install: (model) => this.installFleetModel(model) },
      verdicts: { apply: (message) => this.applyVerdicts(message) },
    });
    this.sender = new ScoreSender({
      pseudonyms: options.pseudonyms,
      channel: this.channel,
      suspects: options.suspects ? new SuspectSearch({ ...options.suspects, pseudonyms: options.pseudonyms }) : null,
      log: this.log,
      counts: this.counts,
      stopping: this.stopping.signal,
      running: () => this.state !== 'stopped',
      failed: (msg, error) => this.failed(msg, error),
    });
  }

  /** Opens the scorer in the background; resolves when it runs (or has failed, which is logged). */
  start(): Promise<void> {
    this.opening ??= this.open();
    return this.opening;
  }

  /** Called for every collected event; never throws. */
  observe(event: Event): void {
    try {
      if (this.scorer) return this.publish(this.scorer.observe(event));
      if (this.state === 'opening' && this.buffer.length < OPENING_BUFFER) this.buffer.push(event);
      else this.counts.notScored += 1;
    } catch (error) {
      this.failed('scoring an event failed', error);
    }
  }

  stats(): LiveScoringStats {
    return {
      state: this.state,
      modelSource: this.scorer?.modelSource ?? 'none',
      ...this.counts,
      late: this.lateStats(),
      queue: this.queue.stats(),
    };
  }

  /** Stops the timers, closes the scorer and keeps unacknowledged scores for the next start. */
  async stop(): Promise<void> {
    // OPRF mode: scores still waiting for tokens wait on disk, as their events do, for the next start.
    const waiting = [...this.sender.waiting];
    this.stopping.abort();
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    await this.opening;
    await this.installing;
    await this.judging;
    const scorer = this.scorer;
    this.scorer = null;
    this.state = 'stopped';
    await scorer?.close().catch((error: unknown) => this.failed('closing the scorer failed', error));
    const unsent = this.queue.unacknowledged();
    if (unsent.length > 0) {
      await keepLines(
        this.unsentFile,
        unsent.map((s) => Score.toJSON(s)),
      )
        .then(() => this.log.info('unsent scores kept for the next start', { scores: unsent.length }))
        .catch((error: unknown) => this.failed('could not keep unsent scores', error));
    }
    if (waiting.length > 0) {
      await keepLines(this.waitingFile, waiting)
        .then(() =>
          this.log.info('scores waiting for pseudonym tokens kept for the next start', { scores: waiting.length }),
        )
        .catch((error: unknown) => this.failed('could not keep the scores waiting for pseudonym tokens', error));
    }
  }

  /** What the agent's status (local API, tray) shows of scoring. */
  statusView(): NonNullable<AgentStatus['scoring']> {
    const { state, scored, alerts, notScored, late } = this.stats();
    const verdicts = this.scorer?.verdictsHeld ?? 0;
    return {
      state,
      scored,
      alerts,
      notScored,
      late,
      verdicts,
      ...(this.scorer && { verdictKinds: this.scorer.verdictKinds }),
    };
  }

  private lateStats(): LiveScoringStats['late'] {
    const stats = this.scorer?.stats();
    if (!stats) return { scored: 0, notScored: 0, notScoredByReason: {} };
    return { scored: stats.lateScored, notScored: stats.lateEvents, notScoredByReason: stats.lateNotScored };
  }

  /** Late events not scored since the last line, logged at most once per LATE_LOG_INTERVAL_MS. */
  private reportLate(): void {
    const now = this.now();
    if (now - this.reportedLate.at < LATE_LOG_INTERVAL_MS) return;
    const { notScoredByReason } = this.lateStats();
    const since: Record<string, number> = {};
    for (const [reason, count] of Object.entries(notScoredByReason)) {
      const added = count - (this.reportedLate.counts[reason] ?? 0);
      if (added > 0) since[reason] = added;
    }
    if (Object.keys(since).length === 0) return;
    this.log.warn('late events not scored (dated before the windows still open); counted in the status', {
      byReason: since,
      lateEventDays: this.options.settings.lateEventDays,
    });
    this.reportedLate = { at: now, counts: { ...notScoredByReason } };
  }

  private get unsentFile(): string {
    return join(this.options.dataDir, 'scoring', UNSENT_FILE);
  }

  private get waitingFile(): string {
    return join(this.options.dataDir, 'scoring', WAITING_FILE);
  }

  private async open(): Promise<void> {
    const { settings } = this.options;
    const started = this.now();
    try {
      const rules = await loadRules(settings.rulesDir ?? DEFAULT_RULES_DIR);
      this.sender.criticalRules = new Set(rules.filter((r) => r.severity === 'critical').map((r) => r.id));
      const scorer = await WorkstationScorer.open({
        dataDir: this.options.dataDir,
        host: this.options.host,
        rules,
        config: settings,
        windowMs: settings.windowMinutes * 60_000,
        utcOffsetMinutes: settings.utcOffsetMinutes ?? -new Date().getTimezoneOffset(),
        dayBoundary: settings.dayBoundary,
        lateWindowMs: settings.lateEventDays * 86_400_000,
        minTrainingWindows: settings.minTrainingWindows,
        retrainDays: settings.retrainDays,
        retentionDays: settings.retentionDays,
        maxHistoryBytes: settings.maxHistoryMb * 1_048_576,
        now: this.now,
      });
      await this.restoreUnsent();
      this.scorer = scorer;
      this.state = 'running';
      await this.restoreWaiting();
      const held = this.buffer;
      this.buffer = [];
      for (const event of held) this.observe(event);
      for (const reason of scorer.skippedModels)
        this.log.warn('saved model set aside: it is trained again', { reason });
      if (scorer.verdictFileProblem)
        this.log.warn("analysts' verdicts file set aside; the manager sends them again after the next Hello", {
          reason: scorer.verdictFileProblem,
        });
      this.log.info('scoring ready', {
        rules: rules.length,
        modelSource: scorer.modelSource,
        openedInMs: this.now() - started,
        heldEvents: held.length,
      });
      const tickMs = this.options.tickMs ?? Math.min(60_000, Math.max(1_000, (settings.windowMinutes * 60_000) / 6));
      this.timers.push(setInterval(() => this.tick(), tickMs));
      this.timers.push(setInterval(() => void this.maybeTrain(), this.options.trainCheckMs ?? 3_600_000));
      for (const timer of this.timers) timer.unref();
      void this.maybeTrain();
    } catch (error) {
      this.state = 'failed';
      this.counts.notScored += this.buffer.length;
      this.buffer = [];
      this.failed('scoring could not start; events are still collected and sent', error);
    }
  }

  private tick(): void {
    try {
      const scorer = this.scorer;
      if (!scorer) return;
      if (scorer.historyDropped > this.reportedHistoryDrops) {
        this.log.warn('scoring history fell behind the disk; events scored but not kept for training', {
          dropped: scorer.historyDropped - this.reportedHistoryDrops,
        });
        this.reportedHistoryDrops = scorer.historyDropped;
      }
      this.publish(scorer.advanceTo(this.now()));
      this.reportLate();
    } catch (error) {
      this.failed('closing windows failed', error);
    }
  }

  private publish(results: ScoreResult[]): void {
    const scorer = this.scorer;
    if (!scorer) return;
    this.sender.publish(results, (result) =>
      toScoreMessage(result, {
        pseudonyms: this.options.pseudonyms,
        host: this.options.host,
        config: this.options.settings,
        modelSource: scorer.modelSource,
        now: this.now(),
      }),
    );
  }

  private async maybeTrain(): Promise<void> {
    const scorer = this.scorer;
    if (!scorer || this.training || !scorer.needsTraining()) return;
    this.training = true;
    const started = this.now();
    // Windows that alerted in the last two weeks are not learned (an insider must not teach the baseline).
    this.log.info('scoring model training started', { worker: true, withheldWindows: scorer.stats().withheldWindows });
    try {
      await scorer.train((p) => {
        if (p.epoch === 1 || p.epoch === p.epochs || p.epoch % 5 === 0)
          this.log.info('scoring model training', {
            epoch: p.epoch,
            epochs: p.epochs,
            loss: Number(p.loss.toFixed(5)),
          });
      });
      this.log.info('scoring model trained', { modelSource: scorer.modelSource, tookMs: this.now() - started });
    } catch (error) {
      this.failed('scoring model training failed; will try again later', error);
    } finally {
      this.training = false;
    }
  }

  private installFleetModel(model: FleetModel): void {
    this.installing = this.installing.then(async () => {
      try {
        await this.fleet.save(model);
        await this.opening;
        const inUse = (await this.scorer?.useFleetModel()) ?? false;
        this.log.info('fleet model installed', {
          version: model.version,
          inUse,
          modelSource: this.scorer?.modelSource ?? 'none',
        });
      } catch (error) {
        if (!(error instanceof FleetModelRejected)) await this.fleet.discard().catch(() => undefined);
        this.failed('fleet model refused', error);
      }
    });
  }

  /**
   * Analysts' verdicts on this agent's scores: matched to the windows kept and stored, so that
   * the next trainings learn a false positive at once and never a true positive. Counts only in
   * the log (no user). Before the scorer is open they wait for it; if it failed, they are dropped
   * (sent again after the next Hello).
   */
  private applyVerdicts(message: ScoreVerdicts): void {
    this.judging = this.judging.then(async () => {
      try {
        await this.opening;
        const scorer = this.scorer;
        if (!scorer) return;
        const outcome = await scorer.applyVerdicts(message.verdicts, (user) => this.options.pseudonyms.user(user));
        this.log.info("analysts' verdicts applied", {
          received: message.verdicts.length,
          ...outcome,
          held: scorer.stats().verdicts,
        });
      } catch (error) {
        this.failed("analysts' verdicts could not be applied", error);
      }
    });
  }

  private async restoreUnsent(): Promise<void> {
    const lines = await takeLines(this.unsentFile);
    if (lines.length === 0) return;
    for (const line of lines) {
      try {
        this.queue.push(Score.fromJSON(JSON.parse(line)));
      } catch {
        this.counts.errors += 1;
      }
    }
    this.log.info('unsent scores from the last run queued', { scores: lines.length });
  }

  /** The scores that waited for tokens when the last run stopped, made again (they wait anew if need be). */
  private async restoreWaiting(): Promise<void> {
    const lines = await takeLines(this.waitingFile);
    if (lines.length === 0) return;
    let restored = 0;
    for (const line of lines) {
      try {
        this.publish([JSON.parse(line) as ScoreResult]);
        restored += 1;
      } catch (error) {
        this.failed('a score kept waiting for pseudonym tokens could not be read', error);
      }
    }
    this.log.info('scores waiting for pseudonym tokens from the last run made again', { scores: restored });
  }

  private failed(msg: string, error: unknown): void {
    this.counts.errors += 1;
    // The first and then every 100th: visible without flooding the log.
    if (this.counts.errors === 1 || this.counts.errors % 100 === 0 || msg !== 'scoring an event failed') {
      this.log.error(msg, {
        error: error instanceof Error ? error.message : String(error),
        errors: this.counts.errors,
      });
    }
  }
}
