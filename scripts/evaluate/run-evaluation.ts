// One evaluation run: simulate a hospital (the hard one by default) or read a
// labelled recording (recording.ts), score it offline with each ablation variant
// (the same scoring path as the agent), and compute per-scenario figures. The
// CLI (evaluate.ts) prints them.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DayBoundaryMode, PortableEvent } from '@wardwatch/shared/agent';
import { scoreOffline } from '../../agent/src/scoring/offline/offline-scorer';
import { truthfulTriage } from './triage';
import type { ScoreResult } from '../../agent/src/scoring/model/risk-model';
import { DEFAULT_RULES_DIR, loadRules } from '../../agent/src/scoring/rules/load-rules';
import { scoringConfig, type ScoringConfigInput } from '../../agent/src/config/scoring-config';
import { HARD_SCENARIOS } from '../simulator/scenarios';
import { simulate, type Simulation } from '../simulator/simulate';
import { incidentDelays, largestRatio, rateByGroup, recallAt, rocAuc, thresholdAtFpr, type Scored } from './metrics';

/** Ablation: which evidence a variant may use. */
export const VARIANTS = {
  combined: { rules: true, model: true, settings: {} },
  /** Item 1's ablation: the same without the autoencoder (adding it must not lower recall). */
  combined_no_model: { rules: true, model: false, settings: {} },
  /** Without the first-time and rarity evidence of issue #10, item 2 (on by default since). */
  combined_no_rarity: { rules: true, model: true, settings: { rarityWeight: 0 } },
  /** Issue #10, item 5's ablation: the same without the behavioural-identity evidence. */
  combined_no_identity: { rules: true, model: true, settings: { identityWeight: 0 } },
  identity_only: { rules: false, model: false, settings: { baselineWeight: 0, rarityWeight: 0, modelWeight: 0 } },
  rules_only: {
    rules: true,
    model: false,
    settings: { baselineWeight: 0, modelWeight: 0, rarityWeight: 0, identityWeight: 0 },
  },
  baselines_only: { rules: false, model: false, settings: { rarityWeight: 0, identityWeight: 0 } },
  rarity_only: { rules: false, model: false, settings: { baselineWeight: 0, rarityWeight: 1, identityWeight: 0 } },
  baselines_rarity: { rules: false, model: false, settings: { rarityWeight: 1, identityWeight: 0 } },
  model_only: { rules: false, model: true, settings: { baselineWeight: 0, rarityWeight: 0, identityWeight: 0 } },
} satisfies Record<string, { rules: boolean; model: boolean; settings: ScoringConfigInput }>;
export type Variant = keyof typeof VARIANTS;

/** How the variants score (the same for a simulation and a recording). */
export interface ScoringRun {
  /** Learn again every this many days while scoring, as the live agent does (default: never). */
  retrainDays?: number;
  /** An analyst closes every alert with the truth a day later (triage.ts); none by default. */
  triage?: boolean;
  windowMinutes: number;
  /** Where day windows begin (the agent's default: 'shift'). */
  dayBoundary: DayBoundaryMode;
  epochs: number;
  settings: ScoringConfigInput;
  variants: readonly Variant[];
}

export interface EvaluationOptions extends ScoringRun {
  days: number;
  /** Days learned before scoring starts (default: two thirds of `days`). */
  trainDays?: number;
  users: number;
  seed: number;
  repeat: number;
  difficulty: 'classic' | 'hard';
}

/** What the variants score: labelled events, where learning ends and scoring begins, each user's role. */
export interface LabelledData {
  events: PortableEvent[];
  attackFrom: number;
  roleOf: (user: string) => string;
}

export interface ScenarioFigures {
  /** A simulated scenario, or a recording's label. */
  scenario: string;
  userDays: number;
  recallAt1: number;
  recallAt5: number;
  alertedAtDefault: number;
  incidents: number;
  detectedIncidents: number;
  /** Hours from an incident's first event to its first alert, sorted. */
  delaysHours: number[];
  topReason: string;
}

export interface VariantFigures {
  variant: Variant;
  auc: number;
  recallAt1: number;
  recallAt5: number;
  threshold1: number;
  threshold5: number;
  benignUserDays: number;
  attackUserDays: number;
  benignAlertsPer1000: number;
  /** Alerts (benign and attack) per 1,000 user-days at the default threshold. */
  alertsPer1000: number;
  recallAtDefault: number;
  scenarios: ScenarioFigures[];
  /** Benign user-days at or above the default threshold, per role, and the largest ratio between roles. */
  fairness: { byRole: Map<string, { n: number; hits: number; rate: number }>; largestRatio: number };
  /** Benign user-days at or above the default threshold per scored week: stable if retraining keeps the level. */
  benignByWeek: Map<string, { n: number; hits: number; rate: number }>;
  seconds: number;
}

export interface Evaluation {
  options: EvaluationOptions;
  simulation: Pick<Simulation, 'injected' | 'attackFrom'> & { events: number };
  variants: VariantFigures[];
}

export async function runEvaluation(options: EvaluationOptions): Promise<Evaluation> {
  const scenarios = Array.from({ length: options.repeat }, () => HARD_SCENARIOS).flat();
  const sim = simulate({ ...options, attackFromDay: options.trainDays, scenarios });
  const role = new Map(sim.hospital.staff.map((s) => [s.user, s.role]));
  const variants = await scoreVariants(
    { events: sim.events, attackFrom: sim.attackFrom, roleOf: (user) => role.get(user) ?? '?' },
    options,
  );
  return {
    options,
    simulation: { injected: sim.injected, attackFrom: sim.attackFrom, events: sim.events.length },
    variants,
  };
}

/** Scores the data with each variant of the run, as the agent would, and computes the figures. */
export async function scoreVariants(data: LabelledData, run: ScoringRun): Promise<VariantFigures[]> {
  const allRules = await loadRules(DEFAULT_RULES_DIR);
  const figures: VariantFigures[] = [];
  for (const variant of run.variants) {
    const spec = VARIANTS[variant];
    const config = scoringConfig({ ...run.settings, ...spec.settings });
    const started = performance.now();
    const outcome = await withModelFolder(variant, (modelFolder) =>
      scoreOffline(data.events, {
        trainUntil: data.attackFrom,
        modelFolder,
        config,
        rules: spec.rules ? allRules : [],
        withoutModel: !spec.model,
        trainer: 'inline',
        autoencoder: { epochs: run.epochs },
        windowMs: run.windowMinutes * 60_000,
        dayBoundary: run.dayBoundary,
        retrainDays: run.retrainDays,
        triage: run.triage ? truthfulTriage : undefined,
      }),
    );
    const result = variantFigures(
      variant,
      outcome.results,
      data.events,
      config.alertThreshold,
      (performance.now() - started) / 1000,
    );
    const byRole = rateByGroup(
      outcome.results.filter((r) => r.labels.length === 0),
      (r) => data.roleOf(r.user),
      (r) => r.score >= config.alertThreshold,
    );
    const benignByWeek = rateByGroup(
      outcome.results.filter((r) => r.labels.length === 0 && r.start >= data.attackFrom),
      (r) => `week ${1 + Math.floor((r.start - data.attackFrom) / (7 * 86_400_000))}`,
      (r) => r.score >= config.alertThreshold,
    );
    figures.push({ ...result, fairness: { byRole, largestRatio: largestRatio(byRole) }, benignByWeek });
  }
  return figures;
}

/** A model folder of its own for one variant's scoring, removed afterwards, also when scoring fails. */
async function withModelFolder<T>(variant: Variant, score: (folder: string) => Promise<T>): Promise<T> {
  const folder = await mkdtemp(join(tmpdir(), `ww-eval-${variant}-`));
  try {
    return await score(folder);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/** The simulator's scenarios in their usual order, then any other label (a recording's) by name. */
export function scenarioOrder(labels: Iterable<string>): string[] {
  const present = new Set(labels);
  const known: readonly string[] = HARD_SCENARIOS;
  return [...known.filter((s) => present.has(s)), ...[...present].filter((s) => !known.includes(s)).sort()];
}

export function variantFigures(
  variant: Variant,
  rows: readonly ScoreResult[],
  events: readonly PortableEvent[],
  threshold: number,
  seconds: number,
): Omit<VariantFigures, 'fairness' | 'benignByWeek'> {
  const items: Scored[] = rows.map((r) => ({ score: r.score, positive: r.labels.length > 0 }));
  const t1 = thresholdAtFpr(items, 0.01);
  const t5 = thresholdAtFpr(items, 0.05);
  const benign = rows.filter((r) => r.labels.length === 0);
  const scenarios = scenarioOrder(rows.flatMap((r) => r.labels)).map((scenario): ScenarioFigures => {
    const own = rows.filter((r) => r.labels.includes(scenario));
    // Against every benign user-day, so that the threshold is the one for the whole site.
    const mine: Scored[] = [
      ...own.map((r) => ({ score: r.score, positive: true })),
      ...items.filter((x) => !x.positive),
    ];
    const delays = incidentDelays(events, rows, scenario);
    const alerted = own.filter((r) => r.alert);
    return {
      scenario,
      userDays: own.length,
      recallAt1: recallAt(mine, t1),
      recallAt5: recallAt(mine, t5),
      alertedAtDefault: alerted.length,
      incidents: delays.incidents,
      detectedIncidents: delays.hours.length,
      delaysHours: delays.hours,
      topReason: (alerted.find((r) => r.labels.length === 1) ?? alerted[0])?.reasons[0]?.text ?? '',
    };
  });
  return {
    variant,
    auc: rocAuc(items),
    recallAt1: recallAt(items, t1),
    recallAt5: recallAt(items, t5),
    threshold1: t1,
    threshold5: t5,
    benignUserDays: benign.length,
    attackUserDays: rows.length - benign.length,
    benignAlertsPer1000: (1000 * benign.filter((r) => r.score >= threshold).length) / Math.max(1, benign.length),
    alertsPer1000: (1000 * rows.filter((r) => r.score >= threshold).length) / Math.max(1, rows.length),
    recallAtDefault: recallAt(items, threshold),
    scenarios,
    seconds,
  };
}
