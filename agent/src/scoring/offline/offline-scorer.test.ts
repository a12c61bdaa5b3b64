// Retraining while scoring, as the live agent does every week: no window is lost or scored twice,
// each training learns the windows a week old, and windows that alerted are withheld from it,
// unless an analyst's verdict on them came first.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { simulate } from '../../../../scripts/simulator/simulate';
import { verdictKey } from '../windows/window-pipeline';
import { scoreOffline, type OfflineOptions } from './offline-scorer';
import { DEFAULT_RULES_DIR, loadRules } from '../rules/load-rules';
import { scoringConfig } from '../../config/scoring-config';

const DAY = 86_400_000;

describe('scoreOffline with retraining', () => {
  const sim = simulate({ days: 24, users: 30, seed: 9, attackFromDay: 12 });
  const run = async (options: Pick<OfflineOptions, 'retrainDays' | 'triage'> = {}) =>
    scoreOffline(sim.events, {
      trainUntil: sim.attackFrom,
      modelFolder: await mkdtemp(join(tmpdir(), 'ww-retrain-')),
      // A budget of a fifth makes some scored windows alert, so some are withheld.
      config: scoringConfig({ alertBudget: 0.2 }),
      rules: await loadRules(DEFAULT_RULES_DIR),
      trainer: 'inline',
      withoutModel: true,
      ...options,
    });

  it('learns again every few days from the windows so far, scoring each window once', async () => {
    const [once, weekly] = [await run(), await run({ retrainDays: 4 })];
    expect(once.trainings).toHaveLength(1);
    expect(weekly.trainings.map((t) => Math.floor((t.at - sim.attackFrom) / DAY))).toEqual([0, 4, 8, 12]);
    // Scored windows are learned a week after they close: none at the second training, then more.
    const learned = weekly.trainings.map((t) => t.windows);
    expect(learned[1]).toBe(learned[0]);
    expect(learned[2]).toBeGreaterThan(learned[1]);
    expect(learned[3]).toBeGreaterThan(learned[2]);
    expect(weekly.trainings.map((t) => t.alerted)[1]).toBe(0);
    expect(weekly.trainings[3].alerted).toBeGreaterThan(0);
    const key = (r: { user: string; start: number }) => `${r.user}@${r.start}`;
    const keys = weekly.results.map(key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.sort()).toEqual(once.results.map(key).sort());
  }, 60_000);

  it("reads the analysts' verdicts at each retraining: an alert judged false is learned at once", async () => {
    const seen: number[] = [];
    const plain = await run({ retrainDays: 4 });
    // Every alert without a rule hit judged a false positive as soon as it is scored.
    const judged = await run({
      retrainDays: 4,
      triage: (alerted) => {
        seen.push(alerted.length);
        return new Map(
          alerted.filter((r) => r.ruleIds.length === 0).map((r) => [verdictKey(r.user, r.start), 'learn']),
        );
      },
    });
    expect(seen[0]).toBe(0);
    expect(seen.at(-1)).toBeGreaterThan(0);
    expect(judged.trainings[0].verdicts).toBe(0);
    expect(judged.trainings[1].verdicts).toBeGreaterThan(0);
    // Learned at once: more windows than a week's wait allows, none of them withheld.
    expect(judged.trainings[1].windows).toBeGreaterThan(plain.trainings[1].windows);
    expect(judged.trainings.every((t) => t.alerted === 0)).toBe(true);
  }, 60_000);
});
