// The fleet model must never drown per-user evidence: it is measured against the
// user's own usual error, capped, and weighted by its held-out reliability.
import { describe, expect, it } from 'vitest';
import { FEATURE_COUNT, FEATURE_INDEX as F, RARITY_FEATURES, type FeatureWindow } from '@wardwatch/shared';
import {
  MIN_TAIL_EXCESS,
  combineEvidence,
  fitModelTail,
  modelBits,
  modelEvidence,
  referenceError,
  reliabilityOf,
  tailFor,
  tailSurpriseBits,
  type ModelReference,
} from './combine';
import { DenseForward } from './dense-forward';
import { RiskModel, neutralCalibration, type RiskModelState } from './risk-model';
import { featureStats } from '../features/baselines';
import { dayWindow } from '../features/day-window.fixture';
import { scoringConfig } from '../../config/scoring-config';

function featureWindow(user: string, level: number): FeatureWindow {
  return dayWindow(user, 0, new Float64Array(FEATURE_COUNT).fill(level), { historyWindows: 30 });
}

/** A real (if trivial) network: it reconstructs everything as 0, so its error is the mean squared input. */
function zeroNetwork(): DenseForward {
  return new DenseForward([
    {
      inputs: FEATURE_COUNT,
      units: FEATURE_COUNT,
      kernel: new Float32Array(FEATURE_COUNT * FEATURE_COUNT),
      bias: new Float32Array(FEATURE_COUNT),
      relu: false,
    },
  ]);
}

describe('combining baseline and model evidence', () => {
  const reference: ModelReference = { users: { ana: 4 }, roles: { nurse: 0.5 }, fleet: 0.25, reliability: 0.9 };

  it('compares the error with the usual one of the same source as the baseline', () => {
    expect(referenceError(reference, 'ana', 'nurse', 'user')).toBe(4);
    expect(referenceError(reference, 'ana', 'nurse', 'peer')).toBe(0.5);
    expect(referenceError(reference, 'bo', 'nurse', 'user')).toBe(0.5);
    expect(referenceError(reference, 'ana', 'nurse', 'fleet')).toBe(0.25);
    expect(referenceError(reference, 'bo', undefined, 'peer')).toBe(0.25);
  });

  it('caps the model at modelEvidenceCap bits and weights it by its reliability', () => {
    expect(modelBits(8, 1)).toBe(3);
    expect(modelBits(0.5, 1)).toBe(0);
    expect(modelEvidence(3, 1, 2)).toBe(2);
    expect(modelEvidence(10, 0.5, 2)).toBe(1);
    expect(modelEvidence(1, 0.5, 2)).toBe(0.5);
    expect(reliabilityOf(0.8, 1)).toBeCloseTo(0.8);
    expect(reliabilityOf(2, 1)).toBe(1);
    const weights = { baselineWeight: 1, modelWeight: 1, rarityWeight: 0, modelEvidenceCap: 2, identityWeight: 0.5 };
    expect(combineEvidence({ baseline: 5, model: 2, rarity: 7 }, weights)).toBe(7);
    expect(combineEvidence({ baseline: 5, model: 2, rarity: 7, identity: 4 }, weights)).toBe(9);
  });

  it("turns the model's bits into their rarity among benign windows and counts only what exceeds the budget", () => {
    // 100 held-out benign windows: 90 at 0–0.89 bits, the top ten 1–10 bits (mean excess over 0.9 … ).
    const bits = [...Array.from({ length: 90 }, (_, i) => i / 100), ...Array.from({ length: 10 }, (_, i) => 1 + i)];
    const tail = fitModelTail(bits);
    expect(tail.windows).toBe(100);
    expect(tail.at).toBeGreaterThan(0.89);
    expect(tail.at).toBeLessThan(1);
    // The top tenth's mean excess over `at`: (1 + … + 10)/10 − at.
    expect(tail.excess).toBeCloseTo(5.5 - tail.at, 1);
    // At `at` a window is as rare as the top tenth (3.32 bits); beyond it the tail is exponential.
    expect(tailSurpriseBits(tail.at, tail)).toBeCloseTo(-Math.log2(0.1));
    expect(tailSurpriseBits(tail.at + tail.excess, tail)).toBeCloseTo(-Math.log2(0.1) + Math.LOG2E);
    expect(tailSurpriseBits(0, tail)).toBe(0);
    // With a 1 % budget, bits as rare as the top tenth count nothing; far beyond the tail, up to the cap.
    expect(modelEvidence(tail.at, 1, 2, tail, 0.01)).toBe(0);
    expect(modelEvidence(5, 1, 2, tail, 0.01)).toBe(0);
    const far = tail.at + tail.excess * Math.log(10) + 1.5 * tail.excess * Math.LN2;
    expect(modelEvidence(far, 1, 2, tail, 0.01)).toBeCloseTo(1.5);
    expect(modelEvidence(far, 0.5, 2, tail, 0.01)).toBeCloseTo(0.75);
    expect(modelEvidence(1000, 1, 2, tail, 0.01)).toBe(2);
    // A larger budget lets the model speak on more windows.
    expect(modelEvidence(5, 1, 2, tail, 0.2)).toBeGreaterThan(0);
  });

  it('gives a model whose held-out windows all look alike a minimal tail scale, and roles fall back to the fleet', () => {
    const flat = fitModelTail(new Array<number>(60).fill(0));
    expect(flat.at).toBe(0);
    expect(flat.excess).toBe(MIN_TAIL_EXCESS);
    const withTails: ModelReference = { ...reference, tails: { roles: { nurse: flat }, fleet: fitModelTail([1, 2]) } };
    expect(tailFor(withTails, 'nurse')).toBe(flat);
    expect(tailFor(withTails, 'clerk')).toBe(withTails.tails?.fleet);
    expect(tailFor(reference, 'nurse')).toBeUndefined();
  });

  const state = (): RiskModelState => {
    const rows = (level: number) => Array.from({ length: 10 }, () => new Float64Array(FEATURE_COUNT).fill(level));
    return {
      normalizer: { center: new Array<number>(FEATURE_COUNT).fill(0), scale: new Array<number>(FEATURE_COUNT).fill(1) },
      baselines: {
        users: { heavy: featureStats(rows(5)), light: featureStats(rows(0)) },
        roles: { nurse: featureStats([...rows(5), ...rows(0)]) },
        fleet: featureStats([...rows(5), ...rows(0)]),
      },
      calibration: {
        ...neutralCalibration(),
        // Usual errors of the zero network: mean of log1p(level)².
        model: { users: { heavy: Math.log1p(5) ** 2, light: 0.01 }, roles: {}, fleet: 0.01, reliability: 0.9 },
      },
    };
  };

  it('gives a user who always works like this no model evidence for a usual day', () => {
    // Every feature at one level fills the rarity features too: this is about baselines and the model.
    const model = new RiskModel(state(), zeroNetwork(), scoringConfig({ rarityWeight: 0 }));
    const usual = model.anomaly(featureWindow('heavy', 5));
    expect(usual.source).toBe('user');
    expect(usual.modelError).toBeGreaterThan(1);
    expect(usual.modelEvidence).toBeCloseTo(0, 9);
    expect(usual.combined).toBeCloseTo(0, 9);
  });

  it('lets the model add at most modelWeight × cap × reliability to what the baselines found', () => {
    const config = scoringConfig({ modelWeight: 1.5, modelEvidenceCap: 2, rarityWeight: 0 });
    const model = new RiskModel(state(), zeroNetwork(), config);
    for (const level of [0.5, 2, 5, 40]) {
      const a = model.anomaly(featureWindow('light', level));
      expect(a.modelBits).toBeGreaterThan(2);
      expect(a.modelEvidence).toBeCloseTo(2 * 0.9);
      expect(a.combined - a.baselineEvidence).toBeCloseTo(1.5 * 2 * 0.9);
    }
  });

  it('counts local copies of patient files once in the baseline evidence, though they are also copies out', () => {
    const model = new RiskModel(state(), null, scoringConfig({ rarityWeight: 0, modelWeight: 0, identityWeight: 0 }));
    const window = featureWindow('light', 0);
    window.values[F.phi_reads] = 8;
    window.values[F.phi_copies_elsewhere] = 8;
    expect(model.anomaly(window).baselineEvidence).toBeCloseTo(8);
    // Some went to a USB stick as well: the copies out are more than the local ones, and the device is a fact of its own.
    window.values[F.phi_reads] = 11;
    window.values[F.removable_writes] = 3;
    expect(model.anomaly(window).baselineEvidence).toBeCloseTo(11 + 3);
    window.values[F.phi_copies_to_sync] = 8;
    expect(model.anomaly(window).baselineEvidence).toBeCloseTo(11 + 8 + 3);
  });

  it('counts first-time bits at firstTimeWeight and the largest multi-day sum at accumulatedWeight', () => {
    const window = featureWindow('light', 0);
    window.values[F.removable_rarity] = 6;
    window.values[F.unit_foreign_phi_rarity] = 4;
    // Eight charts copied to a share today, 12 over the last days (it would count up to twice today's).
    window.values[F.phi_copies_elsewhere] = 8;
    window.values[F.phi_copies_elsewhere_decayed] = 12;
    const score = (settings: Parameters<typeof scoringConfig>[0]) =>
      new RiskModel(
        state(),
        null,
        scoringConfig({ modelWeight: 0, baselineWeight: 0, identityWeight: 0, ...settings }),
      );
    const a = score({}).anomaly(window);
    expect(RARITY_FEATURES).toContain('unit_foreign_phi_rarity');
    expect(a.deviation[F.phi_copies_elsewhere_decayed]).toBeCloseTo(12);
    expect(a.rarityEvidence).toBeCloseTo(0.5 * 10 + 2 * 12);
    expect(a.combined).toBeCloseTo(a.rarityEvidence);
    const even = score({ firstTimeWeight: 1, accumulatedWeight: 1 }).anomaly(window);
    expect(even.rarityEvidence).toBeCloseTo(10 + 12);
    // A quiet day after a loud one: the sum no longer counts (the echo of an alert already given).
    window.values[F.phi_copies_elsewhere] = 0;
    expect(score({}).anomaly(window).rarityEvidence).toBeCloseTo(0.5 * 10);
    // A snooper's third day: five of another unit's charts today, nine over the last days.
    window.values[F.unit_foreign_phi_files] = 5;
    window.values[F.unit_foreign_phi_files_decayed] = 9;
    expect(score({}).anomaly(window).rarityEvidence).toBeCloseTo(0.5 * 10 + 2 * 9);
    // A leaver's third day: six charts into a cloud-synced folder today, eleven over the last days.
    window.values[F.phi_copies_to_sync] = 6;
    window.values[F.phi_copies_to_sync_decayed] = 11;
    expect(score({}).anomaly(window).rarityEvidence).toBeCloseTo(0.5 * 10 + 2 * 11);
  });

  it('counts a multi-day sum at most as its day plus what the earlier days carry', () => {
    // Sums spread less than days: here copies out of a day spread 1, their multi-day sum 0.5.
    const narrowSums = state();
    narrowSums.baselines.users.light.scale[F.phi_copies_elsewhere_decayed] = 0.5;
    const model = new RiskModel(
      narrowSums,
      null,
      scoringConfig({ modelWeight: 0, baselineWeight: 0, identityWeight: 0 }),
    );
    const window = featureWindow('light', 0);
    // One filing day of eight copies, nothing before: the sum is z = 16, the day itself z = 8.
    window.values[F.phi_copies_elsewhere] = 8;
    window.values[F.phi_copies_elsewhere_decayed] = 8;
    expect(model.anomaly(window).rarityEvidence).toBeCloseTo(2 * 8);
    // The same day after earlier copies (four carried, z = 8 on the sum's scale): the sum counts more.
    window.values[F.phi_copies_elsewhere_decayed] = 12;
    expect(model.anomaly(window).rarityEvidence).toBeCloseTo(2 * 16);
  });
});
