// How the evidence of the baselines and of the autoencoder is combined (issue #10,
// item 1). Per-user deviations are primary. A fleet autoencoder finds benign staff
// who always work on six machines "unusual" every day; added at full weight its
// noise raised the benign tail and hid real per-user deviations. So its evidence is
//   - measured against this user's own usual reconstruction error (their peer
//     group's, else the fleet's, until they have history): "unusual for them";
//   - capped at `modelEvidenceCap` bits, so it can lift a window the baselines
//     already find odd but never outvote them;
//   - weighted by its reliability on held-out benign windows: a model that
//     reconstructs unseen days much worse than the days it learned is overfit,
//     and its surprise says little.
import type { BaselineSource } from '../features/baselines';

export interface ModelReference {
  /** Usual reconstruction error per user (only users with enough history), per role, of the fleet. */
  users: Record<string, number>;
  roles: Record<string, number>;
  fleet: number;
  /** 0–1: median error on the windows it learned ÷ median error on held-out windows. */
  reliability: number;
}

export interface EvidenceWeights {
  baselineWeight: number;
  modelWeight: number;
  rarityWeight: number;
  modelEvidenceCap: number;
  identityWeight: number;
}

/** The usual error the window's error is compared with, from the same source as its baseline. */
export function referenceError(
  reference: ModelReference,
  user: string,
  role: string | undefined,
  source: BaselineSource,
): number {
  if (source === 'user' && reference.users[user] !== undefined) return reference.users[user];
  if (source !== 'fleet' && role && reference.roles[role] !== undefined) return reference.roles[role];
  return reference.fleet;
}

/** Bits by which the error exceeds the usual one (≥ 0, uncapped): named in reasons. */
export function modelBits(error: number, reference: number): number {
  return Math.max(0, Math.log2(error / Math.max(reference, 1e-9)));
}

/** The model's contribution before its weight: capped bits times reliability. */
export function modelEvidence(bits: number, reliability: number, cap: number): number {
  return Math.min(bits, cap) * Math.min(1, Math.max(0, reliability));
}

/** Held-out reliability: 1 when unseen benign windows are reconstructed as well as learned ones. */
export function reliabilityOf(learnedMedianError: number, heldOutMedianError: number): number {
  if (!(heldOutMedianError > 0)) return 1;
  return Math.min(1, Math.max(0, learnedMedianError / heldOutMedianError));
}

export function combineEvidence(
  evidence: { baseline: number; model: number; rarity: number; identity?: number },
  weights: EvidenceWeights,
): number {
  return (
    weights.baselineWeight * evidence.baseline +
    weights.modelWeight * evidence.model +
    weights.rarityWeight * evidence.rarity +
    weights.identityWeight * (evidence.identity ?? 0)
  );
}
