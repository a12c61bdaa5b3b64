// The calibrated risk score. Evidence from three sources is combined (model/combine.ts):
//   B = sum of the three largest one-sided robust deviations from the baseline
//       (the user's own, else their peer group's, else the fleet's), each weighed by how far
//       the role's benign days go in its feature (feature-weights.ts) — the primary evidence;
//   M = bits by which the autoencoder's reconstruction error exceeds this user's usual error
//       (peer group's / fleet's until they have history), capped and weighted by the model's
//       reliability on held-out windows, so the fleet model never drowns per-user evidence;
//   R = the window's first-time / rarity evidence in bits (shared/src/features/rarity.ts:
//       Beta-smoothed surprise, already relative to the user, so not a deviation);
//   rules = hits of the detection rules, each forcing a floor by severity.
// A = wB·B + wM·M + wR·R is calibrated per baseline source against the site's alert
// budget (model/calibration.ts; the levels from A without wM·M, which adds on top): the
// median benign window scores 0, the level only `alertBudget` of benign windows reach
// scores `alertThreshold`, rarer ones approach 100.
import {
  DECAYED_SUMS,
  FEATURE_COUNT,
  FEATURE_INDEX,
  FEATURES,
  RARITY_FEATURES,
  featureReason,
  formatHourRange,
  inHourRange,
  ownValue,
  type FeatureName,
  type FeatureWindow,
} from '@wardwatch/shared/agent';
import { chooseBaseline, deviations, isRecent, type BaselineSet, type BaselineSource } from '../features/baselines';
import { scoreFromEvidence, type CalibrationBySource, type SourceCalibration } from './calibration';
import { combineEvidence, modelBits, modelEvidence, referenceError, tailFor, type ModelReference } from './combine';
import type { DenseForward } from './dense-forward';
import { featureWeightsFor, WEIGHED_FEATURES, type FeatureWeights } from './feature-weights';
import { normalize, type Normalizer } from './normalizer';
import type { RuleHit } from '../rules/rule-engine';
import { ownerMatchReason } from '../identity/owner-match';
import type { WindowIdentity } from '../identity/identity-tracker';
import type { ScoringConfig } from '../../config/scoring-config';

export interface Calibration {
  /** The autoencoder's usual errors (per user, role, fleet) and its reliability. */
  model: ModelReference;
  /** Combined evidence at score 0 and at the alert threshold, per baseline source (cold start). */
  bySource: CalibrationBySource;
  /** Per role, for users with their own baseline (model/calibration.ts, calibrateRoles); absent in older models. */
  byRole?: Record<string, SourceCalibration>;
  /** Per role, for users compared with their peer group (no baseline of their own yet); absent in older models. */
  peerByRole?: Record<string, SourceCalibration>;
  /**
   * For users with fewer than RECENT_HISTORY_WINDOWS windows of their own, whose baseline is still
   * mostly their peer group's: at [n − 1] for n windows (model/calibration.ts, recentBaselines);
   * absent in older models.
   */
  recent?: SourceCalibration[];
  /** How much a deviation of each feature counts, per role (model/feature-weights.ts); absent in older models. */
  featureWeights?: FeatureWeights;
}

export interface RiskModelState {
  normalizer: Normalizer;
  baselines: BaselineSet;
  calibration: Calibration;
}

export interface Reason {
  text: string;
  source: 'rule' | 'baseline' | 'model' | 'context';
  feature?: FeatureName | typeof IDENTITY_FEATURE;
  ruleId?: string;
  /** The window's value of the feature (or a rule's count) and the usual value it was compared with. */
  value?: number;
  usual?: number;
  /** Event values named in the text, by field (path, sourceIp, host, …), for pseudonymising it. */
  fields?: Record<string, string>;
}

/** A window as the risk model scores it: its features and, when it had sessions, their owner match. */
export type ScoringWindow = FeatureWindow & { identity?: WindowIdentity };

export interface ScoreResult {
  user: string;
  host: string;
  hosts: string[];
  start: number;
  end: number;
  score: number;
  alert: boolean;
  reasons: Reason[];
  baselineSource: BaselineSource;
  modelError: number;
  ruleIds: string[];
  /** Earliest rule hit in the window: when a live scorer could have alerted. */
  firstRuleHitAt: number | null;
  labels: string[];
  /** Scored before the window closed (live, on a rule hit); a later score of the window supersedes it. */
  partial?: boolean;
  /** How unlike its owner the window's least owner-like session is (absent: no session seen). */
  identity?: { mismatch: number; sessions: number; source: WindowIdentity['source'] };
}

/** The reason's feature name for the behavioural-identity evidence (not one of the window features). */
export const IDENTITY_FEATURE = 'identity_mismatch';

const RARITY = new Set<number>(RARITY_FEATURES.map((name) => FEATURE_INDEX[name]));
/**
 * Multi-day sums: deviations, but counted with the rarity evidence (the largest one), not in B; each
 * with the day's own feature (-1: the day's rarity bits). A sum counts only on a day that adds to it,
 * at most ACCUMULATED_GAIN times that day's own deviation, and at most that deviation plus what the
 * earlier days carry (carriedDeviation): theft spread over a week is seen on each day of it, while
 * the quiet days after one loud day (an alert already) no longer alert on their echo — on the
 * classic hospital those echoes were most of the benign alerts with rarity on.
 */
const ACCUMULATED = new Map<number, number>(
  DECAYED_SUMS.map(({ sum, of }) => [FEATURE_INDEX[sum], of === 'rarity' ? -1 : FEATURE_INDEX[of]]),
);
export const ACCUMULATED_GAIN = 2;

/**
 * What the earlier days carry of a multi-day sum's deviation: the sum less today's own value, on the
 * sum's scale. A sum counts at most today's deviation plus this, so one loud day is not counted
 * twice: a sum spreads less than its day, and a nurse's filing day of eight copies counted z = 4.5 in
 * the baselines and again 2 × 8.1 as its sum.
 */
function carriedDeviation(deviation: number, aboveMedian: number, today: number): number {
  return aboveMedian > 0 ? Math.max(0, (deviation * (aboveMedian - today)) / aboveMedian) : 0;
}

/**
 * A count nested in another is one fact, counted once in B (the larger deviation): every patient
 * file copied to a local or network folder is also one copied out, so a nurse's filing day scored
 * twice and outranked theft whose evidence is of different kinds. Copies into a cloud-synced folder
 * (where they went) and to removable media (a device) stay facts of their own.
 */
const FOLDS_IN = new Map<number, number>([[FEATURE_INDEX.phi_reads, FEATURE_INDEX.phi_copies_elsewhere]]);
const FOLDED = new Set(FOLDS_IN.values());

export interface Anomaly {
  /** Robust z per feature; for the rarity features their bits. */
  deviation: Float64Array;
  baselineEvidence: number;
  rarityEvidence: number;
  modelEvidence: number;
  /** Bits over the usual error, uncapped and unweighted (for the reason text). */
  modelBits: number;
  modelError: number;
  /** Bits that someone else is at work, capped, before their weight (0 without sessions). */
  identityEvidence: number;
  combined: number;
  source: BaselineSource;
  /** Windows behind the baseline compared with (the user's own, for source 'user'). */
  baselineWindows: number;
  usual: number[];
}

export class RiskModel {
  private readonly input = new Float64Array(FEATURE_COUNT);

  constructor(
    readonly state: RiskModelState,
    private readonly network: DenseForward | null,
    private readonly config: ScoringConfig,
  ) {}

  /** No history and no model yet: only rule hits raise the score. */
  static rulesOnly(config: ScoringConfig): RiskModel {
    const none = {
      median: new Array<number>(FEATURE_COUNT).fill(0),
      scale: new Array<number>(FEATURE_COUNT).fill(Infinity),
      windows: 0,
    };
    const state: RiskModelState = {
      normalizer: { center: none.median, scale: none.median.map(() => 1) },
      baselines: { users: {}, roles: {}, fleet: none },
      calibration: neutralCalibration(),
    };
    return new RiskModel(state, null, config);
  }

  /** `asIf`: score against that baseline source (calibrating the cold start). */
  anomaly(window: ScoringWindow, deviation = new Float64Array(FEATURE_COUNT), asIf?: BaselineSource): Anomaly {
    const { stats, source } = chooseBaseline(
      this.state.baselines,
      window.user,
      window.role,
      this.config.minHistoryWindows,
      asIf,
    );
    deviations(window.values, stats, deviation);
    const weights = featureWeightsFor(this.state.calibration.featureWeights, window.role);
    if (weights) for (const f of WEIGHED_FEATURES) deviation[f] *= weights[f];
    let a = 0;
    let b = 0;
    let c = 0;
    let rarityEvidence = 0;
    for (let f = 0; f < FEATURE_COUNT; f++) {
      if (RARITY.has(f)) {
        deviation[f] = window.values[f];
        rarityEvidence += window.values[f];
        continue;
      }
      if (ACCUMULATED.has(f) || FOLDED.has(f)) continue;
      const folded = FOLDS_IN.get(f);
      const z = folded === undefined ? deviation[f] : Math.max(deviation[f], deviation[folded]);
      if (z > a) [a, b, c] = [z, a, b];
      else if (z > b) [b, c] = [z, b];
      else if (z > c) c = z;
    }
    const baselineEvidence = a + b + c;
    let accumulated = 0;
    for (const [f, day] of ACCUMULATED) {
      const own = day < 0 ? rarityEvidence : window.values[day];
      const today = own <= 0 ? 0 : day < 0 ? own : deviation[day];
      const carried = carriedDeviation(deviation[f], window.values[f] - stats.median[f], own);
      deviation[f] = Math.min(deviation[f], ACCUMULATED_GAIN * today, today + carried);
      accumulated = Math.max(accumulated, deviation[f]);
    }
    rarityEvidence = this.config.firstTimeWeight * rarityEvidence + this.config.accumulatedWeight * accumulated;
    let modelError = 0;
    let bits = 0;
    let model = 0;
    if (this.network) {
      normalize(window.values, this.state.normalizer, this.input);
      modelError = this.network.error(this.input);
      const reference = this.state.calibration.model;
      bits = modelBits(modelError, referenceError(reference, window.user, window.role, source));
      model = modelEvidence(
        bits,
        reference.reliability,
        this.config.modelEvidenceCap,
        tailFor(reference, window.role),
        this.config.alertBudget,
      );
    }
    const identity = window.identity ? Math.min(window.identity.evidenceBits, this.config.identityEvidenceCap) : 0;
    const combined = combineEvidence(
      { baseline: baselineEvidence, model, rarity: rarityEvidence, identity },
      this.config,
    );
    return {
      deviation,
      baselineEvidence,
      rarityEvidence,
      modelEvidence: model,
      modelBits: bits,
      modelError,
      identityEvidence: identity,
      combined,
      source,
      baselineWindows: stats.windows,
      usual: stats.median,
    };
  }

  /** 0–100 from the combined evidence alone (no rules), on the calibration of its baseline source. */
  calibrated(combined: number, source: BaselineSource = 'user', role?: string, baselineWindows = Infinity): number {
    const { level } = this.calibrationFor(source, role, baselineWindows);
    return scoreFromEvidence(combined, level, this.config.alertThreshold);
  }

  /**
   * The level a window's evidence is scored on, and which: a recent user's by their count of windows,
   * else their role's, else their baseline source's. Equal evidence scores differently across them.
   */
  calibrationFor(
    source: BaselineSource,
    role?: string,
    baselineWindows = Infinity,
  ): { level: SourceCalibration; name: string } {
    const calibration = this.state.calibration;
    const recent =
      source === 'user' && isRecent(baselineWindows) ? calibration.recent?.[baselineWindows - 1] : undefined;
    if (recent) return { level: recent, name: `recent${baselineWindows}` };
    const roles = { user: calibration.byRole, peer: calibration.peerByRole, fleet: undefined }[source];
    const own = ownValue(roles, role);
    if (own) return { level: own, name: `${source === 'user' ? 'role' : 'peer'}:${role}` };
    return { level: calibration.bySource[source], name: source };
  }

  score(window: ScoringWindow, hits: readonly RuleHit[] = []): ScoreResult {
    const anomaly = this.anomaly(window);
    let score = this.calibrated(anomaly.combined, anomaly.source, window.role, anomaly.baselineWindows);
    for (const hit of hits) score = Math.max(score, this.config.ruleFloors[hit.severity]);
    score = Math.round(Math.min(100, score) * 10) / 10;
    const alert = score >= this.config.alertThreshold;
    return {
      user: window.user,
      host: window.host,
      hosts: window.hosts,
      start: window.start,
      end: window.end,
      score,
      alert,
      reasons: alert ? this.reasons(window, anomaly, hits) : [],
      baselineSource: anomaly.source,
      modelError: anomaly.modelError,
      ruleIds: [...new Set(hits.map((h) => h.ruleId))],
      firstRuleHitAt: hits.length ? Math.min(...hits.map((h) => h.time)) : null,
      labels: window.labels,
      ...(window.identity && {
        identity: {
          mismatch: 1 - window.identity.ownerMatch,
          sessions: window.identity.sessions,
          source: window.identity.source,
        },
      }),
    };
  }

  /** Plain-language reasons: rule hits first, then the features that deviate most. */
  reasons(window: ScoringWindow, anomaly: Anomaly, hits: readonly RuleHit[]): Reason[] {
    const reasons: Reason[] = [];
    const seenRules = new Set<string>();
    for (const hit of hits) {
      if (seenRules.has(hit.ruleId)) continue;
      seenRules.add(hit.ruleId);
      reasons.push({
        text: `${hit.title}: ${hit.reason}`,
        source: 'rule',
        ruleId: hit.ruleId,
        value: hit.count,
        fields: hit.fields,
      });
    }
    // A session unlike its owner's is named right after the rules: "is this really X?" is what a responder asks first.
    if (window.identity && this.config.identityWeight * anomaly.identityEvidence >= 1) {
      reasons.push({
        text: ownerMatchReason(window.identity),
        source: 'baseline',
        feature: IDENTITY_FEATURE,
        value: Math.round(1000 * (1 - window.identity.ownerMatch)) / 1000,
      });
    }
    // A logon outside usual hours is worth naming even once (its count's z is small), as much as its
    // rarity, whose reason it stands for.
    const weight = (f: number) =>
      f === FEATURE_INDEX.offhours_logons && window.values[f] >= 1 && anomaly.usual[f] < 1
        ? Math.max(
            anomaly.deviation[f],
            this.config.reasonMinDeviation,
            this.config.rarityWeight > 0 ? window.values[FEATURE_INDEX.offhours_rarity] : 0,
          )
        : anomaly.deviation[f];
    // Evidence that does not count in the score (rarity weight 0) is not given as a reason either.
    const counted = (f: number) => this.config.rarityWeight > 0 || !(RARITY.has(f) || ACCUMULATED.has(f));
    const order = [...anomaly.deviation.keys()].filter(
      (f) => counted(f) && weight(f) >= this.config.reasonMinDeviation,
    );
    order.sort((x, y) => weight(y) - weight(x));
    const today = (day: number) =>
      day >= 0
        ? window.values[day]
        : RARITY_FEATURES.reduce((sum, name) => sum + window.values[FEATURE_INDEX[name]], 0);
    for (const f of order) {
      if (reasons.length >= this.config.maxReasons) break;
      const name = FEATURES[f].name;
      // The off-hours logon's own reason names the time; its rarity and hour rarity say less.
      if ((name === 'hour_rarity' || name === 'offhours_rarity') && order.includes(FEATURE_INDEX.offhours_logons))
        continue;
      if (
        name === 'removable_rarity' &&
        (order.includes(FEATURE_INDEX.removable_writes) || order.includes(FEATURE_INDEX.removable_connects))
      )
        continue;
      // A multi-day sum that is mostly today's own count repeats that count's reason.
      const day = ACCUMULATED.get(f);
      if (day !== undefined && (day < 0 || order.includes(day)) && window.values[f] < 2 * today(day)) continue;
      reasons.push({
        text: this.featureText(name, window, anomaly.usual[f]),
        source: 'baseline',
        feature: name,
        value: window.values[f],
        usual: anomaly.usual[f],
      });
    }
    if (
      reasons.length < this.config.maxReasons &&
      this.config.modelWeight * anomaly.modelEvidence > 0 &&
      anomaly.modelBits >= 2
    ) {
      reasons.push({
        text: `unusual combination of activity for this user (model error ${Math.round(2 ** anomaly.modelBits)}× their usual)`,
        source: 'model',
      });
    }
    if (anomaly.source !== 'user') {
      reasons.push({
        text: `little history for this user: compared with ${anomaly.source === 'peer' ? `the ${window.role ?? ''} peer group` : 'the whole fleet'}`,
        source: 'context',
      });
    }
    if (reasons.length === 0) reasons.push({ text: 'unusual overall activity for this user', source: 'model' });
    return reasons;
  }

  private featureText(name: FeatureName, window: FeatureWindow, usual: number): string {
    const value = window.values[FEATURE_INDEX[name]];
    if ((name === 'offhours_logons' || name === 'hour_rarity') && window.usualHours) {
      const when = window.offHoursLogonAt ?? window.firstEventAt;
      const d = new Date(when + window.utcOffsetMinutes * 60_000);
      const hhmm = `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
      const verb = name === 'offhours_logons' ? 'logged on' : 'active';
      const usual = formatHourRange(window.usualHours);
      // Off hours are hours this user is seldom active in, which may lie inside the span holding 90 %
      // of their activity (a midday gap between two shifts): then "outside" would be false.
      if (inHourRange(window.usualHours, d.getUTCHours()))
        return `${verb} at ${hhmm}, an hour this user is seldom active in (usual ${usual})`;
      return `${verb} at ${hhmm}, outside this user's usual ${usual}`;
    }
    return featureReason(name, value, Math.round(usual));
  }
}

/** Before any training: no model and no calibration, so behaviour alone never alerts (rule hits do). */
export function neutralCalibration(): Calibration {
  const one = { median: 0, atBudget: Number.MAX_VALUE, windows: 0 };
  return {
    model: { users: {}, roles: {}, fleet: 1, reliability: 0 },
    bySource: { user: one, peer: one, fleet: one },
  };
}
