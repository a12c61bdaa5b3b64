// Offline scoring: learn from events before a cut-off, score every (user,
// window) after it. The same pipeline as live scoring, run over a recording.
import type { DayBoundaryMode, PortableEvent } from '@wardwatch/shared/agent';
import type { AutoencoderOptions, TrainProgress } from '../model/autoencoder-options';
import { fitRiskModel } from '../model/fit-risk-model';
import type { ScoreResult } from '../model/risk-model';
import type { RuleFile } from '../rules/rule.schema';
import { ruleAlertShare } from '../model/calibration';
import { benignWindows, WindowPipeline, withheldWindows, type WindowVerdicts } from '../windows/window-pipeline';
import type { ScoringConfig } from '../../config/scoring-config';
import type { TrainerMode } from '../model/trainer';

const DAY_MS = 86_400_000;

export interface OfflineOptions {
  trainUntil: number;
  modelFolder: string;
  config: ScoringConfig;
  rules: readonly RuleFile[];
  autoencoder?: Partial<AutoencoderOptions>;
  withoutModel?: boolean;
  trainer?: TrainerMode;
  utcOffsetMinutes?: number;
  /** Window length (default a day). */
  windowMs?: number;
  /** Where day windows begin (default 'shift': each user's learned day boundary). */
  dayBoundary?: DayBoundaryMode;
  /** Learn again from every window so far this many days after each training, as the live agent does (default: never). */
  retrainDays?: number;
  /**
   * Analysts' verdicts at each retraining on the windows that alerted so far, as the manager sends
   * them to a live agent (the evaluation's analyst knows the truth); none by default.
   */
  triage?: (alerted: readonly ScoreResult[], at: number) => WindowVerdicts;
  onProgress?: (progress: TrainProgress) => void;
}

export interface OfflineResult {
  results: ScoreResult[];
  /** One entry per training: the windows learned, those left out for a rule hit or an alert, and the verdicts it read. */
  trainings: { at: number; windows: number; withRuleHits: number; alerted: number; verdicts: number }[];
  lateEvents: number;
  ruleHits: number;
  trainMs: number;
}

export async function scoreOffline(events: PortableEvent[], options: OfflineOptions): Promise<OfflineResult> {
  // Stable sort: recordings from several hosts are merged by time.
  const ordered = events.map((e, i) => [e, i] as const).sort((a, b) => a[0].time - b[0].time || a[1] - b[1]);
  const pipeline = new WindowPipeline(options.rules, {
    utcOffsetMinutes: options.utcOffsetMinutes,
    windowMs: options.windowMs,
    dayBoundary: options.dayBoundary,
  });
  const results: ScoreResult[] = [];
  const trainings: OfflineResult['trainings'] = [];
  let nextTraining = options.trainUntil;
  let trainMs = 0;
  const train = async (until: number) => {
    // Windows that ended by the cut-off are learned; one that spans it (a night shift's day) is scored.
    if (until === Infinity) pipeline.flush();
    else pipeline.advanceTo(until);
    const verdicts = options.triage?.(
      results.filter((r) => r.alert),
      until,
    );
    const benign = benignWindows(pipeline.learned, until, verdicts);
    const withheld = withheldWindows(pipeline.learned, until, verdicts);
    const started = performance.now();
    pipeline.model = await fitRiskModel(benign, {
      folder: options.modelFolder,
      config: options.config,
      autoencoder: options.autoencoder,
      withoutModel: options.withoutModel,
      trainer: options.trainer,
      onProgress: options.onProgress,
      ruleAlertShare: ruleAlertShare(pipeline.learned, options.config),
      withheld,
    });
    trainMs += performance.now() - started;
    const withRuleHits = pipeline.learned.filter((l) => l.hits.length > 0).length;
    trainings.push({
      at: until,
      windows: benign.length,
      withRuleHits,
      alerted: withheld.length,
      verdicts: verdicts?.size ?? 0,
    });
    pipeline.keepLearning = options.retrainDays !== undefined;
    nextTraining = options.retrainDays === undefined ? Infinity : until + options.retrainDays * DAY_MS;
  };
  for (const [event] of ordered) {
    if (event.time >= nextTraining) {
      // A retraining learns the windows that ended by now; their scores come first.
      const trained = trainings.length > 0;
      if (trained) results.push(...pipeline.advanceTo(event.time));
      await train(trained ? event.time : options.trainUntil);
    }
    results.push(...pipeline.observe(event));
  }
  if (trainings.length === 0) await train(Infinity);
  results.push(...pipeline.flush());
  return {
    results,
    trainings,
    lateEvents: pipeline.extractor.late,
    ruleHits: pipeline.rules.hits,
    trainMs,
  };
}

export const CSV_HEADER = 'user,window_start,host,score,alert,rules,labels,reasons';

export function csvRow(result: ScoreResult): string {
  const cells = [
    result.user,
    new Date(result.start).toISOString(),
    result.host,
    result.score.toFixed(1),
    result.alert ? '1' : '0',
    result.ruleIds.join(' '),
    result.labels.join(' '),
    result.reasons
      .slice(0, 3)
      .map((r) => r.text)
      .join(' | '),
  ];
  return cells.map(csvCell).join(',');
}

function csvCell(value: string): string {
  // Quote always-safe; neutralise spreadsheet formulas from hostile strings.
  const safe = /^[=+\-@]/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) || safe !== value ? `"${safe.replace(/"/g, '""')}"` : safe;
}
