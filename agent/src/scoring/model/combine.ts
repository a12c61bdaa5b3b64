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
//     and its surprise says little;
//   - gated by its own benign tail per peer group (role): the bits are turned
//     into how rare they are among the role's held-out benign windows (which
//     the model never learned), and only rarity beyond the alert budget counts.
//     Measured as a plain sum, the model added its full cap to nearly every
//     window of the benign tail (physicians' and pharmacists' consults are
//     unusual combinations too), so it reordered benign and attack days at the
//     threshold: on one tuning seed a snooping pharmacist fell below consult
//     days. Now it speaks on at most about the budget's share of a role's
//     benign days, where its error is rarer than anything the role shows.
//     No labels are needed: the tail is read from held-out training windows.
import { ownValue } from '@wardwatch/shared/agent';
import { quantile, type BaselineSource } from '../features/baselines';

export interface ModelReference {
  /** Usual reconstruction error per user (only users with enough history), per role, of the fleet. */
  users: Record<string, number>;
  roles: Record<string, number>;
  fleet: number;
  /** 0–1: median error on the windows it learned ÷ median error on held-out windows. */
  reliability: number;
  /** The bits' benign tail per role (roles with MIN_TAIL_WINDOWS held-out windows) and the fleet's; absent in older models. */
  tails?: { roles: Record<string, ModelTail>; fleet: ModelTail };
}

/** Where a group's held-out benign windows put the model's bits: an exponential tail above `at`. */
export interface ModelTail {
  /** Bits that TAIL_SHARE of the held-out benign windows exceed. */
  at: number;
  /** Mean excess of those windows over `at` (bits): the tail's scale. */
  excess: number;
  windows: number;
}

/** The tail is fitted to the top tenth: enough windows (≥ 5 of 50) for its mean excess, far enough out to be a tail. */
export const TAIL_SHARE = 0.1;
/** Held-out windows a role needs for its own tail, else the fleet's is used. */
export const MIN_TAIL_WINDOWS = 50;
/** A model that reconstructs every held-out window alike has no spread: its tail's scale is at least this (bits). */
export const MIN_TAIL_EXCESS = 0.25;

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
  const own = source === 'user' ? ownValue(reference.users, user) : undefined;
  if (own !== undefined) return own;
  const peer = source !== 'fleet' ? ownValue(reference.roles, role) : undefined;
  return peer ?? reference.fleet;
}

/** Bits by which the error exceeds the usual one (≥ 0, uncapped): named in reasons. */
export function modelBits(error: number, reference: number): number {
  return Math.max(0, Math.log2(error / Math.max(reference, 1e-9)));
}

/** The benign tail of held-out bits (quantile 1 − TAIL_SHARE and the mean excess above it). */
export function fitModelTail(bits: readonly number[]): ModelTail {
  const at = quantile(bits, 1 - TAIL_SHARE);
  let sum = 0;
  let n = 0;
  for (const b of bits)
    if (b > at) {
      sum += b - at;
      n += 1;
    }
  return { at, excess: Math.max(n ? sum / n : 0, MIN_TAIL_EXCESS), windows: bits.length };
}

/**
 * −log2 of the share of benign windows whose bits reach `bits`: exponential above `at` (fitted),
 * linear from 0 below it (only the far tail matters for any budget up to TAIL_SHARE).
 */
export function tailSurpriseBits(bits: number, tail: ModelTail): number {
  const atTail = -Math.log2(TAIL_SHARE);
  if (bits <= tail.at) return tail.at > 0 ? (atTail * Math.max(0, bits)) / tail.at : atTail;
  return atTail + ((bits - tail.at) / tail.excess) * Math.LOG2E;
}

/** The role's tail when it has enough held-out windows, else the fleet's. */
export function tailFor(reference: ModelReference, role: string | undefined): ModelTail | undefined {
  if (!reference.tails) return undefined;
  return ownValue(reference.tails.roles, role) ?? reference.tails.fleet;
}

/**
 * The model's contribution before its weight, times its reliability: with a tail, the surprise of its
 * bits among the role's benign windows beyond −log2(budget) (benign windows get it at about the
 * budget's rate), capped; without one (a model saved before tails), the capped bits.
 */
export function modelEvidence(bits: number, reliability: number, cap: number, tail?: ModelTail, budget = 0.01): number {
  const weight = Math.min(1, Math.max(0, reliability));
  if (!tail) return Math.min(bits, cap) * weight;
  const beyond = tailSurpriseBits(bits, tail) + Math.log2(budget);
  return Math.min(Math.max(0, beyond), cap) * weight;
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
