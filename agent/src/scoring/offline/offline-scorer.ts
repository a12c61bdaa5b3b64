// Offline scoring: learn from events before a cut-off, score every (user,
// window) after it. The same pipeline as live scoring, run over a recording.
import type { DayBoundaryMode, PortableEvent } from '@wardwatch/shared/agent';
import type { AutoencoderOptions, TrainProgress } from '../model/autoencoder-options';
import { fitRiskModel } from '../model/fit-risk-model';
import type { ScoreResult } from '../model/risk-model';
import type { RuleFile } from '../rules/rule.schema';
import { ruleAlertShare } from '../model/calibration';
import { benignWindows, WindowPipeline } from '../windows/window-pipeline';
import type { ScoringConfig } from '../../config/scoring-config';
import type { TrainerMode } from '../model/trainer';

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
  onProgress?: (progress: TrainProgress) => void;
}

export interface OfflineResult {
  results: ScoreResult[];
  trainingWindows: number;
  excludedTrainingWindows: number;
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
  let trained = false;
  let trainMs = 0;
  const train = async (until: number) => {
    // Windows that ended by the cut-off are learned; one that spans it (a night shift's day) is scored.
    if (until === Infinity) pipeline.flush();
    else pipeline.advanceTo(until);
    const benign = benignWindows(pipeline.learned);
    const started = performance.now();
    pipeline.model = await fitRiskModel(benign, {
      folder: options.modelFolder,
      config: options.config,
      autoencoder: options.autoencoder,
      withoutModel: options.withoutModel,
      trainer: options.trainer,
      onProgress: options.onProgress,
      ruleAlertShare: ruleAlertShare(pipeline.learned, options.config),
    });
    trainMs = performance.now() - started;
    trained = true;
  };
  for (const [event] of ordered) {
    if (!trained && event.time >= options.trainUntil) await train(options.trainUntil);
    results.push(...pipeline.observe(event));
  }
  if (!trained) await train(Infinity);
  results.push(...pipeline.flush());
  return {
    results,
    trainingWindows: pipeline.learned.length,
    excludedTrainingWindows: pipeline.learned.length - benignWindows(pipeline.learned).length,
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
