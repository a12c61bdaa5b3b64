// Detection tests on simulated data: every scenario must alert with its reason,
// benign days must stay below the threshold, and the model must reload exactly.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { FEATURE_COUNT } from '@wardwatch/shared';
import { simulate } from '../../../../scripts/simulator/simulate';
import { DenseForward, loadTfModel } from '../model/autoencoder';
import { AUTOENCODER_DIR, loadRiskModel } from '../model/fit-risk-model';
import { scoreOffline, type OfflineResult } from './offline-scorer';
import { DEFAULT_RULES_DIR, loadRules } from '../rules/load-rules';
import { scoringConfig } from '../../config/scoring-config';

const config = scoringConfig();
let folder: string;
let outcome: OfflineResult;
let attackFrom: number;

beforeAll(async () => {
  const sim = simulate({ days: 36, users: 40, seed: 3 });
  attackFrom = sim.attackFrom;
  folder = await mkdtemp(join(tmpdir(), 'ww-scoring-test-'));
  outcome = await scoreOffline(sim.events, {
    trainUntil: sim.attackFrom,
    modelFolder: folder,
    config,
    rules: await loadRules(DEFAULT_RULES_DIR),
    trainer: 'inline',
    autoencoder: { epochs: 10 },
  });
}, 60_000);

describe('risk scoring on the simulated hospital', () => {
  const expected: Record<string, RegExp> = {
    departing_employee: /files to a USB drive|removable media/,
    ransomware: /shadow copies|encrypted-looking/,
    brute_force: /failed logons/,
    password_spray: /Password spraying/,
    shared_credential: /workstations|patient-data files|folders|outside this user's usual/,
    privilege_misuse: /elevated privileges|copied \d+ patient-data files/,
  };
  for (const [scenario, reason] of Object.entries(expected)) {
    it(`alerts on ${scenario} with a reason that names it`, () => {
      const windows = outcome.results.filter((r) => r.labels.includes(scenario));
      expect(windows.length).toBeGreaterThan(0);
      const best = windows.reduce((a, b) => (b.score > a.score ? b : a));
      expect(best.score).toBeGreaterThanOrEqual(config.alertThreshold);
      expect(best.reasons.map((r) => r.text).join(' | ')).toMatch(reason);
    });
  }

  it('keeps benign windows below the threshold (at most 1 % alerts)', () => {
    const benign = outcome.results.filter((r) => r.labels.length === 0);
    expect(benign.length).toBeGreaterThan(200);
    expect(benign.every((r) => r.start >= attackFrom - 86_400_000)).toBe(true);
    const alerts = benign.filter((r) => r.alert);
    expect(alerts.length / benign.length).toBeLessThanOrEqual(0.01);
    // Alerts below threshold carry no reasons; alerts always do.
    for (const r of outcome.results) expect(r.alert ? r.reasons.length > 0 : r.reasons.length === 0).toBe(true);
  });

  it('detects behavioural scenarios from baselines and the autoencoder alone, without rules', async () => {
    const sim = simulate({
      days: 36,
      users: 40,
      seed: 3,
      scenarios: ['departing_employee', 'shared_credential', 'privilege_misuse'],
    });
    const alone = await scoreOffline(sim.events, {
      trainUntil: sim.attackFrom,
      modelFolder: await mkdtemp(join(tmpdir(), 'ww-scoring-norules-')),
      config,
      rules: [],
      trainer: 'inline',
      autoencoder: { epochs: 10 },
    });
    for (const scenario of ['departing_employee', 'shared_credential', 'privilege_misuse']) {
      const best = Math.max(...alone.results.filter((r) => r.labels.includes(scenario)).map((r) => r.score));
      expect(best, scenario).toBeGreaterThanOrEqual(config.alertThreshold);
    }
    const departing = alone.results.find((r) => r.labels.includes('departing_employee'))!;
    expect(departing.reasons.map((r) => r.text)).toContain(
      departing.reasons.find((r) => /^wrote \d+ files to a USB drive; usual is 0$/.test(r.text))?.text,
    );
    expect(
      departing.reasons.some((r) => /^logged on at 02:10, outside this user's usual \d\d:00–\d\d:00$/.test(r.text)),
    ).toBe(true);
    const benign = alone.results.filter((r) => r.labels.length === 0);
    expect(benign.filter((r) => r.alert).length / benign.length).toBeLessThanOrEqual(0.01);
  }, 30_000);

  it('reloads the saved model with identical outputs', async () => {
    const reloaded = await loadRiskModel(folder, config);
    const network = await DenseForward.fromFolder(join(folder, AUTOENCODER_DIR));
    const tfModel = await loadTfModel(join(folder, AUTOENCODER_DIR));
    const rows = Array.from({ length: 16 }, (_, i) =>
      Float32Array.from({ length: FEATURE_COUNT }, (_, f) => Math.sin(i * 7 + f) * 2),
    );
    const predicted = tfModel.predict(tf.tensor2d(rows.map((r) => [...r]))) as tf.Tensor;
    const tfOut = predicted.arraySync() as number[][];
    rows.forEach((row, i) => {
      const js = network.forward(row);
      tfOut[i].forEach((value, f) => expect(js[f]).toBeCloseTo(value, 4));
    });
    const again = await DenseForward.fromFolder(join(folder, AUTOENCODER_DIR));
    rows.forEach((row) => expect(again.error(row)).toBe(network.error(row)));
    const sample = outcome.results.slice(0, 50);
    expect(reloaded.state.calibration).toBeDefined();
    expect(sample.length).toBeGreaterThan(0);
    tfModel.dispose();
    predicted.dispose();
  });

  it('calibrates without the autoencoder, so a window it adds nothing to scores as it would without it', async () => {
    // A budget of a fifth lets the model speak on about a tenth of the held-out windows.
    const loose = scoringConfig({ alertBudget: 0.2 });
    const sim = simulate({ days: 36, users: 40, seed: 3 });
    const fit = async (withoutModel: boolean) => {
      const modelFolder = await mkdtemp(join(tmpdir(), 'ww-scoring-calibration-'));
      const run = await scoreOffline(sim.events, {
        trainUntil: sim.attackFrom,
        modelFolder,
        config: loose,
        rules: await loadRules(DEFAULT_RULES_DIR),
        withoutModel,
        trainer: 'inline',
        autoencoder: { epochs: 10 },
      });
      return { run, state: (await loadRiskModel(modelFolder, loose)).state };
    };
    const [withModel, plain] = [await fit(false), await fit(true)];
    expect(withModel.state.calibration.model.reliability).toBeGreaterThan(0);
    const levels = (state: typeof plain.state) => ({ ...state.calibration, model: undefined });
    expect(levels(withModel.state)).toEqual(levels(plain.state));
    // With the same levels the model can only lift a window, never lower one; here it lifts some.
    const lifted = plain.run.results.filter((r, i) => {
      const score = withModel.run.results[i].score;
      expect(score).toBeGreaterThanOrEqual(r.score - 1e-9);
      return score > r.score + 1e-9;
    });
    expect(lifted.length).toBeGreaterThan(0);
  }, 30_000);
});
