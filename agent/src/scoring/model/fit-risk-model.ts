// Fits the risk model on benign history: baselines and the autoencoder on the
// earlier 75 % of windows, calibration on the later 25 % (scored as unseen
// data, so the quantiles are honest), then baselines refitted on everything.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FEATURE_COUNT, FEATURE_SET_VERSION, type FeatureWindow } from '@wardwatch/shared';
import { DEFAULT_AUTOENCODER, type AutoencoderOptions, type TrainProgress } from './autoencoder-options';
import { DenseForward } from './dense-forward';
import { fitBaselines, quantile } from '../features/baselines';
import { fitNormalizer, normalize } from './normalizer';
import { RiskModel, type RiskModelState } from './risk-model';
import type { ScoringConfig } from '../../config/scoring-config';
import type { TrainerMode } from './trainer';

export const STATE_FILE = 'scoring-state.json';
export const AUTOENCODER_DIR = 'autoencoder';

export interface FitOptions {
  folder: string;
  config: ScoringConfig;
  autoencoder?: Partial<AutoencoderOptions>;
  /** Skip the autoencoder (baselines and rules only). */
  withoutModel?: boolean;
  trainer?: TrainerMode;
  onProgress?: (progress: TrainProgress) => void;
}

interface SavedState extends RiskModelState {
  featureSetVersion: number;
  hasModel: boolean;
  trainedWindows: number;
}

export async function fitRiskModel(windows: readonly FeatureWindow[], options: FitOptions): Promise<RiskModel> {
  if (windows.length < 20) throw new Error(`too little history to train: ${windows.length} windows (need 20)`);
  const sorted = [...windows].sort((a, b) => a.start - b.start);
  const split = Math.floor(sorted.length * 0.75);
  const fitPart = sorted.slice(0, split);
  const calibrationPart = sorted.slice(split);
  const normalizer = fitNormalizer(fitPart.map((w) => w.values));
  let network: DenseForward | null = null;
  await mkdir(options.folder, { recursive: true });
  if (!options.withoutModel) {
    const rows = new Float32Array(fitPart.length * FEATURE_COUNT);
    fitPart.forEach((w, i) => normalize(w.values, normalizer, rows, i * FEATURE_COUNT));
    const modelFolder = join(options.folder, AUTOENCODER_DIR);
    // Loaded only when training: scoring alone never pulls tfjs into the process.
    const { runTraining } = await import('./trainer.js');
    await runTraining(
      {
        rows,
        inputs: FEATURE_COUNT,
        folder: modelFolder,
        options: { ...DEFAULT_AUTOENCODER, ...options.autoencoder },
        onProgress: options.onProgress,
      },
      options.trainer ?? 'worker',
    );
    network = await DenseForward.fromFolder(modelFolder);
  }
  const provisional: RiskModelState = {
    normalizer,
    baselines: fitBaselines(fitPart),
    calibration: { errorMedian: 1, anomalyMedian: 0, anomalyAtQuantile: 1 },
  };
  const draft = new RiskModel(provisional, network, options.config);
  const errors = network ? calibrationPart.map((w) => draft.anomaly(w).modelError) : [1];
  provisional.calibration.errorMedian = Math.max(quantile(errors, 0.5), 1e-9);
  const combined = calibrationPart.map((w) => draft.anomaly(w).combined);
  const state: RiskModelState = {
    normalizer,
    baselines: fitBaselines(sorted),
    calibration: {
      errorMedian: provisional.calibration.errorMedian,
      anomalyMedian: quantile(combined, 0.5),
      anomalyAtQuantile: Math.max(quantile(combined, options.config.calibrationQuantile), quantile(combined, 0.5) + 1),
    },
  };
  const saved: SavedState = {
    ...state,
    featureSetVersion: FEATURE_SET_VERSION,
    hasModel: network !== null,
    trainedWindows: sorted.length,
  };
  await writeFile(join(options.folder, STATE_FILE), JSON.stringify(saved));
  return new RiskModel(state, network, options.config);
}

/** Loads a model saved by fitRiskModel (a workstation's own, or a fleet model from the manager). */
export async function loadRiskModel(folder: string, config: ScoringConfig): Promise<RiskModel> {
  const saved = JSON.parse(await readFile(join(folder, STATE_FILE), 'utf8')) as SavedState;
  if (saved.featureSetVersion !== FEATURE_SET_VERSION) {
    throw new Error(
      `model in ${folder} was trained on feature set v${saved.featureSetVersion}, this agent computes v${FEATURE_SET_VERSION}`,
    );
  }
  const network = saved.hasModel ? await DenseForward.fromFolder(join(folder, AUTOENCODER_DIR)) : null;
  return new RiskModel(
    { normalizer: saved.normalizer, baselines: saved.baselines, calibration: saved.calibration },
    network,
    config,
  );
}
