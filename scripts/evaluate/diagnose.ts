// Where recall is lost (issue #10, items 2 and 10): scores a simulated hospital
// like the evaluation's `combined` variant, then prints the evidence behind each
// positive user-day and behind the highest-scoring benign ones — baseline (B),
// rarity (R), model (M), combined (C, without identity), the owner mismatch of its
// least owner-like session and the fingerprint's source (I), the calibration level it
// is scored on (a recent user's, a role's or a source's: equal evidence scores
// differently across them) and the features that deviate most — against the score
// at 1 % FPR.
// Development aid: run it on tuning seeds only, never on seeds held out for reporting.
//   npx tsx scripts/evaluate/diagnose.ts --seed 1 [--difficulty classic --days 36 --users 40] [--train-days 12] [--rarity-weight 1]
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { FEATURES, FeatureExtractor, type FeatureWindow } from '@wardwatch/shared';
import { scoreOffline } from '../../agent/src/scoring/offline/offline-scorer';
import { loadRiskModel } from '../../agent/src/scoring/model/fit-risk-model';
import { DEFAULT_RULES_DIR, loadRules } from '../../agent/src/scoring/rules/load-rules';
import { joinNegativeValues, settingOptions, settingsFromFlags } from '../../agent/src/scoring/offline/cli-args';
import { scoringConfig } from '../../agent/src/config/scoring-config';
import { simulate } from '../simulator/simulate';
import { HARD_SCENARIOS, SCENARIOS } from '../simulator/scenarios';
import { thresholdAtFpr } from './metrics';

const USAGE = `Where recall is lost: the evidence behind each attack day and the highest benign ones.
Development aid: run it on tuning seeds only, never on seeds held out for reporting.

  npx tsx scripts/evaluate/diagnose.ts [options]

  --seed <n>          simulation seed (1)
  --days <n>          days simulated (60)
  --train-days <n>    days learned before the attacks begin (two thirds of --days)
  --users <n>         staff simulated (120)
  --difficulty <d>    hard (quiet insiders, messy staff; default) or classic
  --epochs <n>        autoencoder epochs (25)
  --benign <n>        highest-scoring benign user-days printed (25)
  --no-model          baselines, rarity and rules only
  --help
and every scoring setting as in evaluate.ts (e.g. --rarity-weight 1).
`;

async function main(argv: string[]): Promise<void> {
  const flags = ['seed', 'days', 'train-days', 'users', 'difficulty', 'epochs', 'benign'];
  const { values } = parseArgs({
    args: joinNegativeValues(argv, new Set([...flags, ...Object.keys(settingOptions())])),
    options: {
      ...settingOptions(),
      seed: { type: 'string' },
      days: { type: 'string' },
      'train-days': { type: 'string' },
      users: { type: 'string' },
      difficulty: { type: 'string' },
      epochs: { type: 'string' },
      benign: { type: 'string' },
      'no-model': { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const difficulty = values.difficulty === 'classic' ? 'classic' : 'hard';
  const seed = Number(values.seed ?? 1);
  const sim = simulate({
    days: Number(values.days ?? 60),
    users: Number(values.users ?? 120),
    seed,
    difficulty,
    attackFromDay: values['train-days'] === undefined ? undefined : Number(values['train-days']),
    scenarios: difficulty === 'hard' ? [...HARD_SCENARIOS, ...HARD_SCENARIOS, ...HARD_SCENARIOS] : SCENARIOS,
  });
  const config = scoringConfig(settingsFromFlags(values));
  const folder = await mkdtemp(join(tmpdir(), 'ww-diagnose-'));
  const outcome = await scoreOffline(sim.events, {
    trainUntil: sim.attackFrom,
    modelFolder: folder,
    config,
    rules: await loadRules(DEFAULT_RULES_DIR),
    withoutModel: values['no-model'] === true,
    trainer: 'inline',
    autoencoder: { epochs: Number(values.epochs ?? 25) },
  });
  const model = await loadRiskModel(folder, config);
  // The same windows again (feature extraction does not depend on the model).
  const extractor = new FeatureExtractor();
  const windows = new Map<string, FeatureWindow>();
  const keep = (w: FeatureWindow) => windows.set(`${w.user}@${w.start}`, w);
  for (const e of sim.events) extractor.push(e).forEach(keep);
  extractor.flush().forEach(keep);
  const items = outcome.results.map((r) => ({ score: r.score, positive: r.labels.length > 0 }));
  const t1 = thresholdAtFpr(items, 0.01);
  const role = new Map(sim.hospital.staff.map((s) => [s.user, s.role]));
  const line = (r: (typeof outcome.results)[number]) => {
    const w = windows.get(`${r.user}@${r.start}`);
    if (!w) return `  ${r.user} ?`;
    const a = model.anomaly(w);
    const top = [...a.deviation.keys()]
      .filter((f) => a.deviation[f] > 0.5)
      .sort((x, y) => a.deviation[y] - a.deviation[x])
      .slice(0, 5)
      .map((f) => `${FEATURES[f].name}=${w.values[f].toFixed(1)}(${a.deviation[f].toFixed(1)})`)
      .join(' ');
    const day = Math.floor((r.start - sim.start) / 86_400_000);
    const level = model.calibrationFor(a.source, w.role, a.baselineWindows).name;
    return `  ${r.score.toFixed(1).padStart(5)} ${r.score >= t1 ? '+' : ' '} ${r.user}/${(role.get(r.user) ?? '?').padEnd(10)} d${day} h${w.historyWindows} ${level.padEnd(15)} B ${a.baselineEvidence.toFixed(1).padStart(5)} R ${a.rarityEvidence.toFixed(1).padStart(5)} M ${a.modelEvidence.toFixed(1)} C ${a.combined.toFixed(1).padStart(5)} I ${(r.identity?.mismatch ?? 0).toFixed(1)}/${r.identity?.source ?? '-'} ${r.ruleIds.join(',')} | ${top}`;
  };
  const cal = model.state.calibration.bySource;
  process.stdout.write(
    `${difficulty} seed ${seed}: threshold at 1 % FPR ${t1}; calibration user ${cal.user.median.toFixed(1)}→${cal.user.atBudget.toFixed(1)}, peer ${cal.peer.median.toFixed(1)}→${cal.peer.atBudget.toFixed(1)}, fleet ${cal.fleet.median.toFixed(1)}→${cal.fleet.atBudget.toFixed(1)}\n`,
  );
  for (const scenario of HARD_SCENARIOS) {
    const own = outcome.results.filter((r) => r.labels.includes(scenario));
    if (own.length === 0) continue;
    process.stdout.write(`${scenario}: ${own.filter((r) => r.score >= t1).length}/${own.length} at 1 % FPR\n`);
    for (const r of own.filter((x) => x.ruleIds.length === 0 || x.score < t1)) process.stdout.write(`${line(r)}\n`);
  }
  const benign = outcome.results.filter((r) => r.labels.length === 0).sort((a, b) => b.score - a.score);
  process.stdout.write(
    `benign: ${benign.length} user-days, ${benign.filter((r) => r.alert).length} alert at the default; highest:\n`,
  );
  for (const r of benign.slice(0, Number(values.benign ?? 25))) process.stdout.write(`${line(r)}\n`);
}

void main(process.argv.slice(2));
