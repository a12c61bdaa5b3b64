// A deviation counts by how far a role's benign days go in its feature: four charts of one
// stranger outweigh a heavy day of copying where copying is routine.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FEATURE_COUNT, FEATURE_INDEX, type FeatureWindow } from '@wardwatch/shared';
import {
  BENIGN_TAIL_SHARE,
  featureWeightsFor,
  fitFeatureWeights,
  TAIL_DEVIATION,
  WEIGHT_RANGE,
  type HeldOutDeviation,
} from './feature-weights';
import { MIN_TAIL_WINDOWS } from './combine';
import { fitRiskModel, loadRiskModel, STATE_FILE } from './fit-risk-model';
import { dayWindow } from '../features/day-window.fixture';
import { scoringConfig } from '../../config/scoring-config';

const folders: string[] = [];
afterAll(() => Promise.all(folders.map((f) => rm(f, { recursive: true, force: true }))));

/** `n` held-out windows of a role whose deviation is `levels[f]` in feature f (0 elsewhere). */
function heldOut(role: string, n: number, levels: number[]): HeldOutDeviation[] {
  return Array.from({ length: n }, () => {
    const deviation = new Float64Array(FEATURE_COUNT);
    levels.forEach((level, f) => (deviation[f] = level));
    return { role, deviation };
  });
}

function window(user: string, day: number, values: Partial<Record<keyof typeof FEATURE_INDEX, number>>): FeatureWindow {
  const row = new Float64Array(FEATURE_COUNT);
  for (const [name, value] of Object.entries(values)) row[FEATURE_INDEX[name as keyof typeof FEATURE_INDEX]] = value;
  return dayWindow(user, day, row);
}

describe('feature weights', () => {
  it("damps a feature the role's benign days stray far in and raises one they hardly move in", () => {
    const [low, high] = WEIGHT_RANGE;
    const { roles, fleet } = fitFeatureWeights([
      ...heldOut('nurse', MIN_TAIL_WINDOWS, [2 * TAIL_DEVIATION, TAIL_DEVIATION / 1.5, 0, 100, TAIL_DEVIATION]),
      ...heldOut('porter', MIN_TAIL_WINDOWS - 1, [TAIL_DEVIATION]),
    ]);
    expect(roles.nurse.slice(0, 5)).toEqual([0.5, 1.5, high, low, 1]);
    // Too few held-out windows for a role of its own: the fleet's weights.
    expect(roles.porter).toBeUndefined();
    expect(featureWeightsFor({ roles, fleet }, 'porter')).toBe(fleet);
    expect(featureWeightsFor({ roles, fleet }, 'nurse')).toBe(roles.nurse);
    expect(featureWeightsFor(undefined, 'nurse')).toBeUndefined();
  });

  it('reads the tail at its share, so a few benign outliers do not set it', () => {
    const n = Math.ceil(2 / BENIGN_TAIL_SHARE);
    const rows = heldOut('nurse', n, [1]);
    rows[0].deviation[0] = 50;
    expect(fitFeatureWeights(rows).roles.nurse[0]).toBe(WEIGHT_RANGE[1]);
  });

  it('makes a stranger read deeply outweigh routine copying; a model saved before them counts every feature alike', async () => {
    // 60 nurses for 30 days: copies elsewhere are routine in bursts, another unit's charts never opened.
    const history: FeatureWindow[] = [];
    for (let day = 0; day < 30; day++)
      for (let u = 0; u < 60; u++)
        history.push(
          window(`n${u}`, day, {
            logons: 2,
            phi_copies_elsewhere: (u * 7 + day * 3) % 10 === 0 ? 1 + ((u * day) % 29) : 0,
          }),
        );
    const folder = await mkdtemp(join(tmpdir(), 'ww-weights-'));
    folders.push(folder);
    const config = scoringConfig();
    const model = await fitRiskModel(history, { folder, config, withoutModel: true });
    const weights = model.state.calibration.featureWeights?.roles.nurse;
    expect(weights?.[FEATURE_INDEX.phi_copies_elsewhere]).toBeLessThan(1);
    expect(weights?.[FEATURE_INDEX.unit_foreign_phi_depth]).toBe(WEIGHT_RANGE[1]);

    const copying = window('n1', 30, { logons: 2, phi_copies_elsewhere: 30 });
    const snooping = window('n1', 30, { logons: 2, unit_foreign_phi_depth: 4 });
    expect(model.anomaly(snooping).baselineEvidence).toBeGreaterThan(model.anomaly(copying).baselineEvidence);

    const path = join(folder, STATE_FILE);
    const state = JSON.parse(await readFile(path, 'utf8')) as { calibration: Record<string, unknown> };
    delete state.calibration.featureWeights;
    await writeFile(path, JSON.stringify(state));
    const older = await loadRiskModel(folder, config);
    expect(older.anomaly(snooping).baselineEvidence).toBeLessThan(older.anomaly(copying).baselineEvidence);
    for (const w of [copying, snooping]) {
      const weighed = model.anomaly(w).deviation;
      const plain = older.anomaly(w).deviation;
      for (const f of [FEATURE_INDEX.phi_copies_elsewhere, FEATURE_INDEX.unit_foreign_phi_depth])
        expect(weighed[f]).toBeCloseTo(plain[f] * weights![f]);
    }
  });
});
