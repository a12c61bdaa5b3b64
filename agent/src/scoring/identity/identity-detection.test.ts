// The behavioural identity through the whole scoring path (window pipeline, risk
// model, calibration, proto Score) on the classic simulated hospital with a stolen
// credential used by someone else: the masquerade's windows are judged "not the
// owner", alert with the identity reason, and carry the mismatch to the wire, while
// benign windows seldom look unlike their owner.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { simulate } from '../../../../scripts/simulator/simulate';
import { scoringConfig } from '../../config/scoring-config';
import { toScoreMessage } from '../live/score-message';
import { FEATURE_COUNT } from '@wardwatch/shared';
import { loadRiskModel, STATE_FILE } from '../model/fit-risk-model';
import { IDENTITY_FEATURE, type ScoringWindow } from '../model/risk-model';
import { scoreOffline, type OfflineResult } from '../offline/offline-scorer';

const config = scoringConfig();
let outcome: OfflineResult;
let modelFolder: string;
/** Starts of the day windows in which the intruder logged on (a session may end after midnight). */
let intruderDays: Set<number>;

beforeAll(async () => {
  const sim = simulate({ days: 36, users: 40, seed: 5, scenarios: ['account_takeover'] });
  intruderDays = new Set(
    sim.events
      .filter((e) => e.label === 'account_takeover' && e.kind === 'logon')
      .map((e) => e.time - (e.time % 86_400_000)),
  );
  modelFolder = await mkdtemp(join(tmpdir(), 'ww-identity-test-'));
  outcome = await scoreOffline(sim.events, {
    trainUntil: sim.attackFrom,
    modelFolder,
    config,
    rules: [],
    withoutModel: true,
  });
}, 60_000);

describe('behavioural identity in the risk score', () => {
  it("judges the masquerade's sessions not the owner's, and alerts with the identity reason", () => {
    const attack = outcome.results.filter((r) => r.labels.includes('account_takeover') && intruderDays.has(r.start));
    expect(attack.length).toBe(2);
    for (const r of attack) {
      expect(r.identity?.mismatch).toBeGreaterThan(0.99);
      expect(r.alert).toBe(true);
      // Named first (there are no rule hits): "is this really X?" is what a responder asks first.
      const reason = r.reasons[0];
      expect(reason.feature).toBe(IDENTITY_FEATURE);
      expect(reason?.text).toMatch(/^session unlike this user's own sessions \(owner match \d+ %\): first logon/);
      expect(reason?.text).toMatch(/programs never used by this user: [1-9]/);
    }
  });

  it('finds few benign windows unlike their owner, and keeps benign alerts within the budget', () => {
    const benign = outcome.results.filter((r) => r.labels.length === 0);
    expect(benign.length).toBeGreaterThan(250);
    const doubted = benign.filter((r) => (r.identity?.mismatch ?? 0) >= 0.9);
    expect(doubted.length / benign.length).toBeLessThan(0.01);
    const owners = benign.filter((r) => r.identity && r.identity.source === 'user');
    expect(owners.length / benign.length).toBeGreaterThan(0.9);
    // The identity evidence counts in the calibrated score, so the 1 % alert budget still holds.
    expect(benign.filter((r) => r.alert).length / benign.length).toBeLessThan(0.01);
  });

  it('sends the mismatch as bounded numbers beside the score', () => {
    const attack = outcome.results.find((r) => r.labels.includes('account_takeover') && intruderDays.has(r.start))!;
    const message = toScoreMessage(attack, {
      pseudonyms: { user: () => 'u_0000000000000001', path: () => 'p_1', ip: () => 'ip_1', host: () => 'h_1' },
      host: attack.host,
      config,
      modelSource: 'none',
      now: attack.end,
    });
    expect(message.identity).toMatchObject({ sessions: attack.identity!.sessions, source: 'user' });
    expect(message.identity!.mismatch).toBeGreaterThan(0.99);
    expect(message.identity!.mismatch).toBeLessThanOrEqual(1);
    expect(JSON.stringify(message.reasons)).not.toContain(attack.user);
  });

  it('counts the identity evidence only in models calibrated with it (an older saved model ignores it)', async () => {
    const doubted = outcome.results.find((r) => r.labels.includes('account_takeover') && intruderDays.has(r.start))!;
    const window = {
      user: doubted.user,
      role: undefined,
      values: new Float64Array(FEATURE_COUNT),
      identity: { evidenceBits: 9 },
    } as unknown as ScoringWindow;
    const current = await loadRiskModel(modelFolder, config);
    expect(current.anomaly(window).combined).toBeGreaterThanOrEqual(config.identityWeight * 9);
    const path = join(modelFolder, STATE_FILE);
    const state = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
    delete state.identityCalibrated;
    await writeFile(path, JSON.stringify(state));
    const older = await loadRiskModel(modelFolder, config);
    expect(older.anomaly(window).identityEvidence).toBe(9);
    expect(older.anomaly(window).combined).toBeLessThan(current.anomaly(window).combined - 9);
  });
});
