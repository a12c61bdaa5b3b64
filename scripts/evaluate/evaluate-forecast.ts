// Forecast evaluation (issue #12, item 7): simulate the hard hospital, score it offline
// with the default settings (the agent's scoring path, day windows), build each user's
// and each unit's daily risk as the manager does (mean of the day's windows; a unit is
// the workstations' unit), and replay the manager's Holt forecast one day ahead against
// the naive last-value forecast. Prints MAE, interval coverage (nominal 80 %) and width.
//   npx tsx scripts/evaluate/evaluate-forecast.ts [--seed 2] [--days 60] [--users 120] [--epochs 15]
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { scoringConfig } from '../../agent/src/config/scoring-config';
import { scoreOffline } from '../../agent/src/scoring/offline/offline-scorer';
import { DEFAULT_RULES_DIR, loadRules } from '../../agent/src/scoring/rules/load-rules';
import { DEFAULT_HOLT, INTERVAL_COVERAGE } from '../../manager/src/overview/risk-forecast';
import { simulate } from '../simulator/simulate';
import { HARD_SCENARIOS } from '../simulator/scenarios';
import { dailySeries, evaluateOneStep, type ForecastFigures } from './forecast-metrics';

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '2' },
    days: { type: 'string', default: '60' },
    users: { type: 'string', default: '120' },
    epochs: { type: 'string', default: '15' },
  },
});
const seed = Number(values.seed);
const days = Number(values.days);
const users = Number(values.users);
const epochs = Number(values.epochs);

async function main(): Promise<void> {
  const started = performance.now();
  const sim = simulate({ days, users, seed, difficulty: 'hard', scenarios: HARD_SCENARIOS });
  const outcome = await scoreOffline(sim.events, {
    trainUntil: sim.attackFrom,
    modelFolder: await mkdtemp(join(tmpdir(), 'ww-forecast-eval-')),
    config: scoringConfig({}),
    rules: await loadRules(DEFAULT_RULES_DIR),
    trainer: 'inline',
    autoencoder: { epochs },
    windowMs: 1_440 * 60_000,
  });
  // Only windows scored with the trained model, as a running manager sees them.
  const scored = outcome.results.filter((r) => r.start >= sim.attackFrom && !r.partial);
  const unitOf = (host: string) => /^ws-(.+)-\d+$/.exec(host)?.[1] ?? '(none)';
  const byUser = dailySeries(scored.map((r) => ({ key: r.user, start: r.start, score: r.score })));
  const byUnit = dailySeries(scored.map((r) => ({ key: unitOf(r.host), start: r.start, score: r.score })));

  const f1 = (x: number) => (Number.isNaN(x) ? 'n/a' : x.toFixed(2));
  const pct = (x: number) => (Number.isNaN(x) ? 'n/a' : `${(100 * x).toFixed(1)} %`);
  const row = (name: string, f: ForecastFigures) =>
    `  ${name.padEnd(6)} ${String(f.series).padStart(6)} ${String(f.forecasts).padStart(9)}   ${f1(f.maeHolt).padStart(8)}   ${f1(f.maeNaive).padStart(9)}   ${pct(f.holtBetter).padStart(11)}   ${pct(f.coverage).padStart(8)}   ${f1(f.meanWidth).padStart(10)}`;

  console.log(
    `WardWatch risk forecast evaluation — hard hospital, seed ${seed}, ${users} users, ${days} days, day windows, default scoring settings`,
  );
  console.log(
    `Holt α ${DEFAULT_HOLT.alpha}, β ${DEFAULT_HOLT.beta}, ${Math.round(INTERVAL_COVERAGE * 100)} % interval; one day ahead, each day forecast from the observed days before it; scored days from ${new Date(sim.attackFrom).toISOString().slice(0, 10)} (${scored.length} user-days)`,
  );
  console.log('  for    series forecasts   MAE Holt   MAE naive   Holt closer   coverage   mean width');
  console.log(row('users', evaluateOneStep([...byUser.values()])));
  console.log(row('units', evaluateOneStep([...byUnit.values()])));
  console.log(`(${((performance.now() - started) / 1000).toFixed(0)} s)`);
}

void main();
