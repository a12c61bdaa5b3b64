// Evaluation report (issue #10, item 9): simulate the hard hospital (or read a
// labelled recording, --input), score it with each ablation variant, print
// per-scenario recall at 1 % and 5 % FPR, ROC AUC, benign alerts per 1,000
// user-days at the default threshold, time to detect, and the seeds. Weights
// and thresholds were chosen on the development seed (1); report on another
// seed (default 2).
//   npx tsx scripts/evaluate/evaluate.ts --help
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import {
  joinNegativeValues,
  numberFlag,
  retrainDaysFlag,
  settingOptions,
  settingsFromFlags,
  settingsHelp,
} from '../../agent/src/scoring/offline/cli-args';
import { scoringConfig } from '../../agent/src/config/scoring-config';
import {
  runEvaluation,
  scoreVariants,
  VARIANTS,
  type Evaluation,
  type ScenarioFigures,
  type ScoringRun,
  type Variant,
  type VariantFigures,
} from './run-evaluation';
import { readRecording, type Recording } from './recording';
import { wilsonInterval } from './metrics';
import { SIMULATION_START } from '../simulator/simulate';
import { runMain } from '../lib/run-main';

export const DEVELOPMENT_SEED = 1;

const USAGE = `usage: npx tsx scripts/evaluate/evaluate.ts [options]
  --input <events.ndjson> (a labelled recording in the portable format instead of a simulation: --days, --users,
    --seed(s), --repeat and --difficulty do not apply; --train-days counts from its first day, two thirds by default,
    or --train-until <ISO time> cuts there)
  --days <n> (60)  --train-days <n> (two thirds of --days; 12 of 19 is the real-data check's split)  --users <n> (120)  --seed <n> (2; seed ${DEVELOPMENT_SEED} is the development seed)  --repeat <n> (3)
  --seeds <n,n,…> (several seeds: every seed's report, then one line per seed; name them before looking)
  --retrain-days <n> (7, as the agent: learn again every n days while scoring; 0 never)
  --triage (an analyst closes every alert with the truth a day later; the verdicts reach each retraining)
  --difficulty hard|classic (hard)  --window-minutes <n> (1440)  --day-boundary shift|midnight (shift)  --epochs <n> (25)
  --variants ${Object.keys(VARIANTS).join(',')} (all)
  --help
site settings (the config file's names):
${settingsHelp()}`;

const pct = (x: number) => (Number.isNaN(x) ? '  n/a' : `${(100 * x).toFixed(1).padStart(5)} %`);

export function formatReport(e: Evaluation): string {
  const o = e.options;
  return [
    `WardWatch scoring evaluation — ${o.difficulty} hospital, ${o.users} users, ${o.days} days (trained on ${Math.round((e.simulation.attackFrom - SIMULATION_START) / 86_400_000)}), ${o.windowMinutes}-minute windows (day boundary: ${o.dayBoundary})`,
    `seeds: report ${o.seed}${o.seed === DEVELOPMENT_SEED ? ' (the development seed: figures are optimistic)' : `, development ${DEVELOPMENT_SEED} (not reported)`}; autoencoder seed 7; ${e.simulation.injected.length} injected incidents, ${e.simulation.events} events; scoring from ${new Date(e.simulation.attackFrom).toISOString().slice(0, 10)}`,
    ...formatFigures(e.variants, o),
  ].join('\n');
}

/** The report of a labelled recording: what was read, then the same figures as a simulation's. */
export function formatRecordingReport(r: Recording, variants: readonly VariantFigures[], run: ScoringRun): string {
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const bad = Object.entries(r.read.errorsByReason)
    .map(([reason, n]) => `${reason} ${n}`)
    .join(', ');
  return [
    `WardWatch scoring evaluation — recording ${basename(r.path)}, ${r.users} users, ${r.days} days from ${day(r.start)} (trained on ${r.trainDays}), ${run.windowMinutes}-minute windows (day boundary: ${run.dayBoundary})`,
    `${r.read.records} events read, ${r.read.errors} bad lines skipped${bad ? ` (${bad})` : ''}; scoring from ${r.attackFrom % 86_400_000 === 0 ? day(r.attackFrom) : new Date(r.attackFrom).toISOString()}`,
    ...r.badLines.map((line) => `  skipped ${line}`),
    ...(variants[0]?.attackUserDays === 0
      ? [
          'no labelled user-day scored: recall and AUC need ground truth; the alerts per 1,000 user-days below are the site’s own',
        ]
      : []),
    ...formatFigures(variants, run),
  ].join('\n');
}

/** The ablation, the per-scenario figures and time to detect: the body of every report. */
function formatFigures(variants: readonly VariantFigures[], o: ScoringRun): string[] {
  const lines = [
    `settings: ${JSON.stringify(o.settings)} (alertThreshold ${scoringConfig(o.settings).alertThreshold}, alertBudget ${scoringConfig(o.settings).alertBudget} of benign user-days)`,
    '',
    'ablation (user-days; recall against all benign user-days of the site):',
    '  variant               AUC     rec@1%FPR  rec@5%FPR  benign alerts/1000 at default   s',
  ];
  for (const v of variants)
    lines.push(
      `  ${v.variant.padEnd(20)} ${Number.isNaN(v.auc) ? '   n/a' : v.auc.toFixed(4)}  ${pct(v.recallAt1)}    ${pct(v.recallAt5)}    ${v.benignAlertsPer1000.toFixed(1).padStart(6)}  (recall ${pct(v.recallAtDefault)})   ${v.seconds.toFixed(0)}`,
    );
  const first = variants[0];
  if (first) lines.push(`  (${first.benignUserDays} benign and ${first.attackUserDays} attack user-days)`);
  for (const v of variants.filter((x) => x.variant === 'combined'))
    lines.push(
      `  combined at the default: ${v.alertsPer1000.toFixed(1)} alerts per 1,000 user-days (all), ${v.benignAlertsPer1000.toFixed(1)} per 1,000 benign user-days`,
    );
  lines.push('', 'per scenario, recall at 1 % / 5 % FPR by variant:');
  lines.push(`  ${'scenario'.padEnd(28)}days ${variants.map((v) => v.variant.padEnd(21)).join('')}`);
  for (const [i, s] of (first?.scenarios ?? []).entries())
    lines.push(
      `  ${s.scenario.padEnd(28)}${String(s.userDays).padStart(4)} ${variants
        .map((v) => `${pct(v.scenarios[i].recallAt1)}/${pct(v.scenarios[i].recallAt5)}`.padEnd(21))
        .join('')}`,
    );
  for (const v of variants.filter((x) => x.variant === 'combined')) {
    lines.push('', 'combined at the default threshold: time to detect per incident (first event → first alert):');
    for (const s of v.scenarios) {
      const d = s.delaysHours;
      const ttd = d.length
        ? `median ${d[Math.floor((d.length - 1) / 2)].toFixed(1)} h, max ${d[d.length - 1].toFixed(1)} h`
        : 'not detected';
      lines.push(
        `  ${s.scenario.padEnd(28)}${s.detectedIncidents}/${s.incidents} incidents, ${s.alertedAtDefault}/${s.userDays} days; ${ttd.padEnd(30)} ${s.topReason.slice(0, 70)}`,
      );
    }
    const roles = [...v.fairness.byRole].map(([r, g]) => `${r} ${(1000 * g.rate).toFixed(1)}`).join(', ');
    lines.push(
      `  benign alerts per 1,000 user-days by role: ${roles}; largest ratio ${v.fairness.largestRatio.toFixed(2)}`,
    );
    const weeks = [...v.benignByWeek].map(([w, g]) => `${w} ${(1000 * g.rate).toFixed(1)} (${g.n})`).join(', ');
    const retraining = o.retrainDays
      ? `retrained every ${o.retrainDays} days${o.triage ? ', every alert triaged' : ''}`
      : 'trained once';
    lines.push(`  benign alerts per 1,000 user-days by scored week (${retraining}): ${weeks}`);
  }
  return lines;
}

/** What a pooled line counts per scenario: caught of so many (user-days, or cases). */
type Tally = { caught: number; of: number };

/**
 * One line per seed: the targets of issue #10, item 10 (recall at 5 % too), every scenario that misses
 * 70 % at 1 % FPR, and the ablation (recall at 1 % FPR without the model); then each scenario's
 * user-days caught at each seed's own 1 % FPR threshold, pooled over the seeds, with a 95 % Wilson
 * interval (a scenario has about three user-days per seed, so a seed's figure moves in thirds), and
 * the same pooled for combined_no_model when it was run; and the cases (incidents) the combined
 * variant alerted on at the default threshold, pooled: a multi-day case whose first day is its
 * benign twin's is still caught on a later day, which recall per user-day does not show.
 */
export function formatSeedSummary(evaluations: readonly Evaluation[]): string {
  const lines = [
    'per seed (combined): AUC, recall at 1 % / 5 % FPR, benign alerts per 1,000 at the default, recall at 1 % without the model, scenarios < 70 % (user-days caught/of)',
  ];
  /** Per scenario, what `tally` counts of a seed's figures, summed over the seeds. */
  const pool = (variant: Variant, tally: (s: ScenarioFigures) => Tally) => {
    const pooled = new Map<string, Tally>();
    for (const e of evaluations) {
      const v = e.variants.find((x) => x.variant === variant);
      for (const s of v?.scenarios ?? []) {
        const sum = pooled.get(s.scenario) ?? { caught: 0, of: 0 };
        const add = tally(s);
        sum.caught += add.caught;
        sum.of += add.of;
        pooled.set(s.scenario, sum);
      }
    }
    return pooled;
  };
  const userDaysAt1 = (s: ScenarioFigures) => ({ caught: Math.round(s.recallAt1 * s.userDays), of: s.userDays });
  for (const e of evaluations) {
    const v = e.variants.find((x) => x.variant === 'combined') ?? e.variants[0];
    if (!v) continue;
    const below = v.scenarios
      .filter((s) => !(s.recallAt1 >= 0.7))
      .map((s) => {
        const { caught, of } = userDaysAt1(s);
        return `${s.scenario} ${pct(s.recallAt1).trim()} (${caught}/${of})`;
      });
    const noModel = e.variants.find((x) => x.variant === 'combined_no_model');
    lines.push(
      `  seed ${String(e.options.seed).padEnd(3)} ${v.auc.toFixed(4)}  ${pct(v.recallAt1)} / ${pct(v.recallAt5)}  ${v.benignAlertsPer1000.toFixed(1).padStart(5)}  ${noModel ? pct(noModel.recallAt1) : '    –  '}  ${below.join(', ') || 'none'}`,
    );
  }
  const seeds = evaluations.map((e) => e.options.seed).join(',');
  const counts = (pooled: Map<string, Tally>) =>
    [...pooled]
      .map(([name, p]) => {
        const [low, high] = wilsonInterval(p.caught, p.of);
        return `${name} ${p.caught}/${p.of} (${Math.round(100 * low)}–${Math.round(100 * high)} %)`;
      })
      .join(', ');
  lines.push(
    `pooled over seeds ${seeds} (combined, each seed's 1 % FPR threshold; 95 % interval): ${counts(pool('combined', userDaysAt1))}`,
  );
  const cases = pool('combined', (s) => ({ caught: s.detectedIncidents, of: s.incidents }));
  lines.push(`pooled, cases alerted on at the default threshold (combined): ${counts(cases)}`);
  const noModel = pool('combined_no_model', userDaysAt1);
  if (noModel.size) lines.push(`pooled, combined_no_model: ${counts(noModel)}`);
  return lines.join('\n');
}

async function main(argv: string[]): Promise<number> {
  const valueFlags = [
    'input',
    'train-until',
    'days',
    'train-days',
    'retrain-days',
    'users',
    'seed',
    'seeds',
    'repeat',
    'difficulty',
    'window-minutes',
    'day-boundary',
    'epochs',
    'variants',
  ];
  const { values } = parseArgs({
    args: joinNegativeValues(argv, new Set([...valueFlags, ...Object.keys(settingOptions())])),
    options: {
      ...settingOptions(),
      input: { type: 'string' },
      'train-until': { type: 'string' },
      days: { type: 'string' },
      'train-days': { type: 'string' },
      'retrain-days': { type: 'string' },
      users: { type: 'string' },
      seed: { type: 'string' },
      seeds: { type: 'string' },
      repeat: { type: 'string' },
      difficulty: { type: 'string' },
      'window-minutes': { type: 'string' },
      'day-boundary': { type: 'string' },
      epochs: { type: 'string' },
      variants: { type: 'string' },
      triage: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const variants = (values.variants ?? Object.keys(VARIANTS).join(',')).split(',') as Variant[];
  const unknown = variants.filter((v) => !(v in VARIANTS));
  if (unknown.length) throw new Error(`--variants: unknown ${unknown.join(', ')}`);
  const settings = settingsFromFlags(values);
  scoringConfig(settings);
  const difficulty = values.difficulty ?? 'hard';
  if (difficulty !== 'hard' && difficulty !== 'classic') throw new Error('--difficulty: hard or classic');
  const dayBoundary = values['day-boundary'] ?? 'shift';
  if (dayBoundary !== 'shift' && dayBoundary !== 'midnight') throw new Error('--day-boundary: shift or midnight');
  const run: ScoringRun = {
    retrainDays: retrainDaysFlag(values),
    triage: values.triage === true,
    windowMinutes: numberFlag(values, 'window-minutes', 1_440),
    dayBoundary,
    epochs: numberFlag(values, 'epochs', 25),
    settings,
    variants,
  };
  const trainDays = values['train-days'] === undefined ? undefined : numberFlag(values, 'train-days', 0);
  if (values['train-until'] !== undefined && (values.input === undefined || trainDays !== undefined))
    throw new Error('--train-until: with --input, instead of --train-days');
  if (values.input !== undefined) {
    const until = values['train-until'] === undefined ? undefined : Date.parse(values['train-until']);
    if (until !== undefined && Number.isNaN(until)) throw new Error('--train-until: an ISO-8601 time');
    const recording = await readRecording(values.input, until === undefined ? { trainDays } : { trainUntil: until });
    process.stdout.write(`${formatRecordingReport(recording, await scoreVariants(recording, run), run)}\n`);
    return 0;
  }
  const seeds = values.seeds ? values.seeds.split(',').map(Number) : [numberFlag(values, 'seed', 2)];
  if (seeds.some((s) => !Number.isInteger(s))) throw new Error('--seeds: whole numbers separated by commas');
  const days = numberFlag(values, 'days', 60);
  if (trainDays !== undefined && !(Number.isInteger(trainDays) && trainDays >= 2 && trainDays < days))
    throw new Error('--train-days: a whole number of days from 2 to --days − 1');
  const evaluations: Evaluation[] = [];
  for (const seed of seeds) {
    const evaluation = await runEvaluation({
      ...run,
      days,
      trainDays,
      users: numberFlag(values, 'users', 120),
      seed,
      repeat: numberFlag(values, 'repeat', 3),
      difficulty,
    });
    evaluations.push(evaluation);
    process.stdout.write(`${formatReport(evaluation)}\n\n`);
  }
  if (evaluations.length > 1) process.stdout.write(`${formatSeedSummary(evaluations)}\n`);
  return 0;
}

if (require.main === module) runMain('evaluate', main);
