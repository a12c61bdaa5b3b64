// How much one robust deviation of a feature says (issue #10, items 2 and 10). A deviation is in
// units of the baseline's spread, which is 1 for what a user never does, so every feature counted
// alike: a nurse's four charts of one stranger (`unit_foreign_phi_depth` 4) weighed what four
// patient files copied for a consult weigh, though benign days of a role reach the one all the
// time and the other almost never. So each feature's deviations are weighed by how far the role's
// benign days go in it: held-out windows (which the baselines never learned) give, per role, the
// deviation only BENIGN_TAIL_SHARE of them exceed; a deviation that far counts TAIL_DEVIATION, so
// a feature benign days stray far in is damped, one they hardly move in counts more, within
// WEIGHT_RANGE. No labels: read from the same held-out windows as the model's tail (combine.ts).
import {
  DECAYED_SUMS,
  FEATURE_COUNT,
  FEATURE_INDEX,
  FEATURES,
  ownRecord,
  ownValue,
  RARITY_FEATURES,
} from '@wardwatch/shared/agent';
import { quantile } from '../features/baselines';
import { MIN_TAIL_WINDOWS } from './combine';

/** Weight per feature (FEATURE_COUNT; 1 for those not weighed), per role with MIN_TAIL_WINDOWS held-out windows, and the fleet's. */
export interface FeatureWeights {
  roles: Record<string, number[]>;
  fleet: number[];
}

/** The share of a role's benign windows a feature's deviation may exceed: the alert budget's order. */
export const BENIGN_TAIL_SHARE = 0.01;
/**
 * What a deviation at the role's benign tail counts (robust z). Chosen on tuning seeds 11–13
 * (`scripts/simulator/README.md`); 4 and 6 did about as well.
 */
export const TAIL_DEVIATION = 3;
/** Never damped below half nor raised above double: a small role's tail is a few windows. */
export const WEIGHT_RANGE = [0.5, 2] as const;

/** The baseline's own features: not rarity bits nor multi-day sums, which count with the rarity evidence. */
const NOT_WEIGHED = new Set<number>(
  [...RARITY_FEATURES, ...DECAYED_SUMS.map(({ sum }) => sum)].map((n) => FEATURE_INDEX[n]),
);
export const WEIGHED_FEATURES: readonly number[] = FEATURES.map((_, f) => f).filter((f) => !NOT_WEIGHED.has(f));

export interface HeldOutDeviation {
  role?: string;
  deviation: Float64Array;
}

/**
 * Weights of the held-out windows' deviations: TAIL_DEVIATION over the deviation BENIGN_TAIL_SHARE
 * of them exceed, clamped; a feature they never stray in at that share gets the most.
 */
export function fitFeatureWeights(heldOut: readonly HeldOutDeviation[]): FeatureWeights {
  const byRole = new Map<string, HeldOutDeviation[]>();
  for (const w of heldOut) {
    if (w.role === undefined) continue;
    const group = byRole.get(w.role);
    if (group) group.push(w);
    else byRole.set(w.role, [w]);
  }
  const roles = ownRecord<number[]>();
  for (const [role, group] of byRole) if (group.length >= MIN_TAIL_WINDOWS) roles[role] = weightsOf(group);
  return { roles, fleet: weightsOf(heldOut) };
}

function weightsOf(group: readonly HeldOutDeviation[]): number[] {
  const [low, high] = WEIGHT_RANGE;
  const column = new Float64Array(group.length);
  const weights = new Array<number>(FEATURE_COUNT).fill(1);
  for (const f of WEIGHED_FEATURES) {
    group.forEach((w, i) => (column[i] = w.deviation[f]));
    const tail = quantile(column, 1 - BENIGN_TAIL_SHARE);
    weights[f] = tail > 0 ? Math.min(high, Math.max(low, TAIL_DEVIATION / tail)) : high;
  }
  return weights;
}

/** The role's weights, else the fleet's; none for a model saved before them (every feature counts 1). */
export function featureWeightsFor(weights: FeatureWeights | undefined, role: string | undefined): number[] | undefined {
  if (!weights) return undefined;
  return ownValue(weights.roles, role) ?? weights.fleet;
}
