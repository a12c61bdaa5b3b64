// Live scoring on the workstation. Each collected event is mapped to the
// portable form, appended to the local history file (what the next training
// learns from) and run through the same pipeline as the offline CLI:
//  - a rule hit scores the user's open window at once (no waiting for the day);
//  - a closed window is scored in full.
// Model: <dataDir>/scoring/model (trained here) or, until enough local history
// exists, <dataDir>/scoring/fleet-model (a fleet model placed by the manager);
// with neither, rules alone still alert. Training runs in a worker thread.
import {
  createReadStream,
  createWriteStream,
  existsSync,
  openSync,
  renameSync,
  statSync,
  type WriteStream,
} from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Event, ScoreVerdict } from '@wardwatch/proto';
import {
  formatPortableLine,
  readPortableEvents,
  type DayBoundaryMode,
  type LateDropReason,
  type VerdictKinds,
} from '@wardwatch/shared/agent';
import type { TrainProgress } from '../model/autoencoder-options';
import { eventToPortable } from '../features/event-to-portable';
import { fitRiskModel, loadRiskModel, ModelNeedsTraining, STATE_FILE } from '../model/fit-risk-model';
import { RiskModel, type ScoreResult } from '../model/risk-model';
import type { RuleFile } from '../rules/rule.schema';
import { ruleAlertShare } from '../model/calibration';
import { benignWindows, verdictKey, WindowPipeline, withheldWindows } from '../windows/window-pipeline';
import { matchVerdicts, type VerdictMatch } from '../verdicts/match-verdicts';
import { VerdictStore } from '../verdicts/verdict-store';
import type { ScoringConfig } from '../../config/scoring-config';

export interface WorkstationScorerOptions {
  dataDir: string;
  host: string;
  rules: readonly RuleFile[];
  config: ScoringConfig;
  windowMs?: number;
  /** Site time zone for hours of day (minutes east of UTC). */
  utcOffsetMinutes?: number;
  /** How far before the current window late events (a backlog) are still scored in windows of their own. */
  lateWindowMs?: number;
  /** Where day windows begin (default 'shift': each user's learned day boundary; see FeatureExtractor). */
  dayBoundary?: DayBoundaryMode;
  /** Benign windows of local history needed before training an own model. */
  minTrainingWindows?: number;
  /** Days of history kept on disk (older events are dropped when the scorer opens). */
  retentionDays?: number;
  /** An own model older than this is trained again on the recent history (baselines follow people's habits). */
  retrainDays?: number;
  /** Disk kept for history at most: the current file rolls over to history.1.ndjson at half of it. */
  maxHistoryBytes?: number;
  now?: () => number;
}

const HISTORY = 'history.ndjson';
/** Bytes waiting for the disk beyond which history lines are skipped instead of buffered in memory. */
const HISTORY_BUFFER_LIMIT = 8 * 1_048_576;
const HISTORY_BATCH_LINES = 256;
const OLDER_HISTORY = 'history.1.ndjson';

export class WorkstationScorer {
  private pipeline: WindowPipeline;
  private history: WriteStream | null = null;
  private historyBytes = 0;
  private pendingLines: string[] = [];
  historyRollFailures = 0;
  /** Events not written to the history because the disk fell behind. */
  historyDropped = 0;
  readonly skipped: Record<string, number> = {};
  modelSource: 'own' | 'fleet' | 'none' = 'none';
  /** Late-event counts of the history replay (late then, counted then): left out of stats(). */
  private replayLate = { scored: 0, dropped: { beyond_late_bound: 0, too_many_late_windows: 0 } };
  /** When the own model in use was trained. */
  trainedAt: number | null = null;
  /** Saved models set aside at start, each with why (a feature set of an older agent). */
  readonly skippedModels: string[] = [];
  /** Analysts' verdicts on windows kept here: they change what is learned, never a score. */
  private verdicts!: VerdictStore;

  private constructor(private readonly options: WorkstationScorerOptions) {
    this.pipeline = new WindowPipeline(options.rules, {
      windowMs: options.windowMs,
      utcOffsetMinutes: options.utcOffsetMinutes,
      lateWindowMs: options.lateWindowMs,
      dayBoundary: options.dayBoundary,
    });
    this.pipeline.keepLearning = true;
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  get folder(): string {
    return join(this.options.dataDir, 'scoring');
  }

  /** Loads the model, replays local history to rebuild per-user state, opens the history file. */
  static async open(options: WorkstationScorerOptions): Promise<WorkstationScorer> {
    const scorer = new WorkstationScorer(options);
    await mkdir(scorer.folder, { recursive: true, mode: 0o700 });
    scorer.verdicts = VerdictStore.open(scorer.folder, scorer.keepFrom(scorer.now()));
    const historyFile = join(scorer.folder, HISTORY);
    const olderFile = join(scorer.folder, OLDER_HISTORY);
    const segments = [olderFile, historyFile].filter((file) => existsSync(file));
    // The model first: replayed windows are scored again (results discarded) so that those that
    // alerted stay out of the next training, as they did before the restart.
    await scorer.loadModel();
    if (segments.length > 0) {
      // Replay what is recent enough, oldest first, into one file with only that, so it stays bounded.
      const keepFrom = scorer.keepFrom(scorer.now());
      const kept = createWriteStream(`${historyFile}.tmp`, { mode: 0o600 });
      for (const segment of segments) {
        for await (const event of readPortableEvents(createReadStream(segment))) {
          if (event.time < keepFrom) continue;
          scorer.pipeline.observe(event);
          const line = `${formatPortableLine(event)}\n`;
          scorer.historyBytes += line.length;
          kept.write(line);
        }
      }
      // Late windows of the replay were scored in the last run: learned from, not scored again.
      scorer.pipeline.learnLate();
      const { lateScored, lateDropped } = scorer.pipeline.extractor;
      scorer.replayLate = { scored: lateScored, dropped: { ...lateDropped } };
      await new Promise<void>((resolve) => kept.end(resolve));
      await rename(`${historyFile}.tmp`, historyFile);
      await rm(olderFile, { force: true });
    }
    scorer.pipeline.model ??= RiskModel.rulesOnly(options.config);
    scorer.history = appendStream(historyFile);
    return scorer;
  }

  /** Cheap per event: a map, a line appended, a few counters; scores when something is worth scoring. */
  observe(event: Event): ScoreResult[] {
    const mapped = eventToPortable(event, this.options.host);
    if ('skipped' in mapped) {
      this.skipped[mapped.skipped] = (this.skipped[mapped.skipped] ?? 0) + 1;
      return [];
    }
    if (this.history && this.history.writableLength > HISTORY_BUFFER_LIMIT) {
      // The disk cannot keep up: the event is still scored, only not kept for training.
      this.historyDropped += 1;
    } else if (this.history) {
      const line = formatPortableLine(mapped.event);
      // Lines go to the file in batches: one write per line costs about as much as scoring it.
      this.pendingLines.push(line);
      this.historyBytes += line.length + 1;
      if (this.pendingLines.length >= HISTORY_BATCH_LINES) this.flushHistory();
      if (this.historyBytes > (this.options.maxHistoryBytes ?? 200 * 1_048_576) / 2) this.rollHistory();
    }
    const results = this.pipeline.observe(mapped.event);
    const model = this.pipeline.model;
    if (model && this.pipeline.lastHits.length > 0) {
      for (const user of new Set(this.pipeline.lastHits.flatMap((h) => h.users))) {
        const open = this.pipeline.peek(user);
        if (open) results.push({ ...model.score(open, this.pipeline.pending(user)), partial: true });
      }
    }
    return results;
  }

  /** Counters for the agent's status: events it could not use, late events, rule hits. */
  stats(): {
    skipped: Record<string, number>;
    /** Late events not scored (older than the bound, or too many late windows). */
    lateEvents: number;
    lateNotScored: Record<LateDropReason, number>;
    /** Late events scored in windows of their own. */
    lateScored: number;
    ruleHits: number;
    modelSource: WorkstationScorer['modelSource'];
    learnedWindows: number;
    /** Learned windows held back from training because they alerted recently. */
    withheldWindows: number;
    /** Analysts' verdicts held (verdicts.json). */
    verdicts: number;
  } {
    const extractor = this.pipeline.extractor;
    const replayed = this.replayLate.dropped;
    const dropped: Record<LateDropReason, number> = {
      beyond_late_bound: extractor.lateDropped.beyond_late_bound - replayed.beyond_late_bound,
      too_many_late_windows: extractor.lateDropped.too_many_late_windows - replayed.too_many_late_windows,
    };
    return {
      skipped: { ...this.skipped },
      lateEvents: dropped.beyond_late_bound + dropped.too_many_late_windows,
      lateNotScored: dropped,
      lateScored: extractor.lateScored - this.replayLate.scored,
      ruleHits: this.pipeline.rules.hits,
      modelSource: this.modelSource,
      learnedWindows: this.pipeline.learned.length,
      withheldWindows: withheldWindows(this.pipeline.learned, this.now(), this.verdicts.effects()).length,
      verdicts: this.verdictsHeld,
    };
  }

  /** Scores every open window now (e.g. at shutdown). */
  flush(): ScoreResult[] {
    return this.pipeline.flush();
  }

  /** Scores windows that ended by `now` although no later event came (call from a timer). */
  advanceTo(now: number): ScoreResult[] {
    this.flushHistory();
    // Windows kept for retraining are bounded by the same retention as the history on disk.
    const keepFrom = this.keepFrom(now);
    const learned = this.pipeline.learned;
    if (learned.length > 0 && learned[0].window.end < keepFrom)
      learned.splice(0, learned.findIndex((l) => l.window.end >= keepFrom) >>> 0);
    return this.pipeline.advanceTo(now);
  }

  /** Switches to the fleet model in <folder>/fleet-model unless an own model is in use; false if there is none. */
  async useFleetModel(): Promise<boolean> {
    if (this.modelSource === 'own') return false;
    const folder = join(this.folder, 'fleet-model');
    if (!existsSync(join(folder, STATE_FILE))) return false;
    this.pipeline.model = await loadRiskModel(folder, this.options.config);
    this.modelSource = 'fleet';
    return true;
  }

  needsTraining(): boolean {
    const windows = benignWindows(this.pipeline.learned, this.now(), this.verdicts.effects()).length;
    if (windows < (this.options.minTrainingWindows ?? 100)) return false;
    if (this.modelSource !== 'own' || this.trainedAt === null) return true;
    return this.now() - this.trainedAt >= (this.options.retrainDays ?? 7) * 86_400_000;
  }

  /** Trains an own model from the replayed history in a worker thread, then switches to it. */
  async train(onProgress?: (progress: TrainProgress) => void): Promise<void> {
    const now = this.now();
    const windows = benignWindows(this.pipeline.learned, now, this.verdicts.effects());
    // Trained beside the model in use and swapped in when complete: a failed run leaves the old one whole.
    const next = join(this.folder, 'model.next');
    await rm(next, { recursive: true, force: true });
    const model = await fitRiskModel(windows, {
      folder: next,
      config: this.options.config,
      trainer: 'worker',
      onProgress,
      ruleAlertShare: ruleAlertShare(this.pipeline.learned, this.options.config),
      withheld: withheldWindows(this.pipeline.learned, now, this.verdicts.effects()),
    });
    const current = join(this.folder, 'model');
    await rm(`${current}.old`, { recursive: true, force: true });
    if (existsSync(current)) await rename(current, `${current}.old`);
    await rename(next, current);
    await rm(`${current}.old`, { recursive: true, force: true });
    this.pipeline.model = model;
    this.modelSource = 'own';
    this.trainedAt = this.now();
  }

  /** Analysts' verdicts held (as in stats(), without its cost). */
  get verdictsHeld(): number {
    return this.verdicts.size;
  }

  /** The same by kind, with when the latest was decided. */
  get verdictKinds(): VerdictKinds {
    return this.verdicts.kinds();
  }

  /** Why the verdicts file was not read at start (it was set aside: the store began empty), or null. */
  get verdictFileProblem(): string | null {
    return this.verdicts.problem;
  }

  /**
   * Takes analysts' verdicts from the manager (users as pseudonyms, `pseudonymOf` the agent's
   * own) for the windows kept here, learned or still open, and keeps them on disk. They decide
   * what the next trainings learn; nothing is scored again.
   */
  async applyVerdicts(
    verdicts: readonly ScoreVerdict[],
    pseudonymOf: (user: string) => string,
  ): Promise<Omit<VerdictMatch, 'matched'> & { matched: number; changed: number }> {
    const keepFrom = this.keepFrom(this.now());
    const learned = this.pipeline.learned;
    const windows = new Set(learned.map((l) => verdictKey(l.window.user, l.window.start)));
    const match = matchVerdicts(
      verdicts,
      {
        users: () => new Set([...learned.map((l) => l.window.user), ...this.pipeline.usersWithPendingHits()]),
        has: (user, start) => windows.has(verdictKey(user, start)) || this.pipeline.peek(user)?.start === start,
      },
      pseudonymOf,
      keepFrom,
    );
    const changed = await this.verdicts.add(match.matched, keepFrom);
    return { ...match, matched: match.matched.length, changed };
  }

  /** The oldest time kept: history, learned windows and verdicts alike. */
  private keepFrom(now: number): number {
    return now - (this.options.retentionDays ?? 60) * 86_400_000;
  }

  /** Writes the batched history lines (also called by the agent's timer, so few linger in memory). */
  flushHistory(): void {
    if (this.pendingLines.length === 0 || !this.history) return;
    this.history.write(`${this.pendingLines.join('\n')}\n`);
    this.pendingLines = [];
  }

  /** The current history file becomes the older one (the previous older one is dropped). */
  private rollHistory(): void {
    this.flushHistory();
    const file = join(this.folder, HISTORY);
    this.historyBytes = 0;
    try {
      // Writes still pending on the old stream land in the renamed file (it is the same open file).
      renameSync(file, join(this.folder, OLDER_HISTORY));
    } catch {
      this.historyRollFailures += 1; // keep writing where we are; the next half tries again
      return;
    }
    this.history?.end();
    this.history = appendStream(file);
  }

  async close(): Promise<void> {
    this.flushHistory();
    const stream = this.history;
    this.history = null;
    if (stream) await new Promise<void>((resolve) => stream.end(resolve));
  }

  private async loadModel(): Promise<void> {
    for (const [source, name] of [
      ['own', 'model'],
      ['fleet', 'fleet-model'],
    ] as const) {
      const folder = join(this.folder, name);
      if (existsSync(join(folder, STATE_FILE))) {
        try {
          this.pipeline.model = await loadRiskModel(folder, this.options.config);
        } catch (error) {
          // An agent upgraded to a new feature set keeps scoring (rules, then its next model).
          if (!(error instanceof ModelNeedsTraining)) throw error;
          this.skippedModels.push(error.message);
          continue;
        }
        this.modelSource = source;
        if (source === 'own') this.trainedAt = statSync(join(folder, STATE_FILE)).mtimeMs;
        return;
      }
    }
  }
}

/** Opened at once (not on the next tick), so the file exists when it is rolled over. Clear names: owner only. */
function appendStream(file: string): WriteStream {
  return createWriteStream(file, { fd: openSync(file, 'a', 0o600) });
}
