// Evaluation report: simulate a hospital, split by time, run the offline
// scoring CLI (the compiled one when built, else from sources), and print
// detection quality, time to detect, alert volume and fairness figures.
//   npx tsx scripts/evaluate/evaluate.ts [--days 60] [--users 120] [--seed 1] [--repeat 3]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { formatPortableLine } from '@wardwatch/shared';
import { SCENARIOS, SUBTLE_SCENARIOS } from '../simulator/scenarios';
import { simulate } from '../simulator/simulate';
import { largestRatio, rateByGroup, recallAt, rocAuc, thresholdAtFpr } from './metrics';

interface Row {
  user: string;
  start: number;
  end: number;
  score: number;
  alert: boolean;
  labels: string[];
  ruleIds: string[];
  firstRuleHitAt: number | null;
  reasons: { text: string }[];
}

const root = resolve(__dirname, '..', '..');
const { values } = parseArgs({
  options: {
    days: { type: 'string', default: '60' },
    users: { type: 'string', default: '120' },
    seed: { type: 'string', default: '1' },
    repeat: { type: 'string', default: '3' },
    threshold: { type: 'string', default: '60' },
  },
});
const repeat = Number(values.repeat);
const sim = simulate({
  days: Number(values.days),
  users: Number(values.users),
  seed: Number(values.seed),
  scenarios: Array.from({ length: repeat }, () => [...SCENARIOS, ...SUBTLE_SCENARIOS]).flat(),
});
const work = mkdtempSync(join(tmpdir(), 'ww-eval-'));
const input = join(work, 'events.ndjson');
writeFileSync(input, sim.events.map(formatPortableLine).join('\n') + '\n');
const output = join(work, 'scores.json');
const compiled = join(root, 'agent', 'dist', 'scoring', 'cli.js');
const args = [
  '--input',
  input,
  '--train-until',
  new Date(sim.attackFrom).toISOString(),
  '--out-json',
  output,
  '--threshold',
  String(values.threshold),
  '--model-dir',
  join(work, 'model'),
];
function runCli(extra: string[]) {
  const all = [...args, ...extra];
  const run = existsSync(compiled)
    ? spawnSync(process.execPath, [compiled, ...all], { encoding: 'utf8' })
    : spawnSync(process.execPath, ['--import', 'tsx', join(root, 'agent', 'src', 'scoring', 'cli.ts'), ...all], {
        encoding: 'utf8',
      });
  if (run.status !== 0) throw new Error(`scoring CLI failed: ${run.stderr}`);
  return { run, rows: JSON.parse(readFileSync(output, 'utf8')) as Row[] };
}
const started = performance.now();
const { run, rows } = runCli([]);
const cliSeconds = (performance.now() - started) / 1000;
// Ablation: the same data without rules, i.e. baselines and the autoencoder alone.
mkdirSync(join(work, 'no-rules'));
const withoutRulesRows = runCli(['--rules', join(work, 'no-rules')]).rows;
const withoutRules = withoutRulesRows.map((r) => ({ score: r.score, positive: r.labels.length > 0 }));
// A spray victim sees one failed logon: only the cross-user rule can see it, so show the rest apart.
const withoutRulesNoSpray = withoutRulesRows
  .filter((r) => !(r.labels.length === 1 && r.labels[0] === 'password_spray'))
  .map((r) => ({ score: r.score, positive: r.labels.length > 0 }));

const staff = new Map(sim.hospital.staff.map((s) => [s.user, s]));
const items = rows.map((r) => ({ score: r.score, positive: r.labels.length > 0 }));
const positives = items.filter((x) => x.positive).length;
const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
console.log(
  `WardWatch scoring evaluation — ${values.users} users, ${values.days} days, seed ${values.seed}, ${sim.injected.length} injected scenarios`,
);
console.log(
  `events ${sim.events.length}; scored user-days ${rows.length} (${positives} attack, ${rows.length - positives} benign); CLI ${cliSeconds.toFixed(1)} s (${existsSync(compiled) ? 'compiled' : 'tsx'})`,
);
console.log(
  run.stderr
    .split('\n')
    .filter((l) => /^(trained|scored)/.test(l))
    .map((l) => `  cli: ${l}`)
    .join('\n'),
);
console.log(`\nROC AUC per user-day: ${rocAuc(items).toFixed(4)}`);
for (const fpr of [0.01, 0.05]) {
  const t = thresholdAtFpr(items, fpr);
  console.log(`recall at ${pct(fpr)} FPR: ${pct(recallAt(items, t))} (score >= ${t.toFixed(1)})`);
}
console.log(
  `without rules (baselines + autoencoder only): ROC AUC ${rocAuc(withoutRules).toFixed(4)}, recall at 1 % FPR ${pct(recallAt(withoutRules, thresholdAtFpr(withoutRules, 0.01)))}, at 5 % FPR ${pct(recallAt(withoutRules, thresholdAtFpr(withoutRules, 0.05)))}`,
);
console.log(
  `  same, spray-only victims left out: ROC AUC ${rocAuc(withoutRulesNoSpray).toFixed(4)}, recall at 1 % FPR ${pct(recallAt(withoutRulesNoSpray, thresholdAtFpr(withoutRulesNoSpray, 0.01)))}, at 5 % FPR ${pct(recallAt(withoutRulesNoSpray, thresholdAtFpr(withoutRulesNoSpray, 0.05)))}`,
);
const threshold = Number(values.threshold);
const alerts = rows.filter((r) => r.alert);
const benign = rows.filter((r) => r.labels.length === 0);
console.log(
  `\nat the site threshold ${threshold}: recall ${pct(recallAt(items, threshold))}, alerts ${alerts.length}, false alerts ${benign.filter((r) => r.alert).length}`,
);
console.log(
  `alerts per 1,000 user-days: ${((1000 * alerts.length) / rows.length).toFixed(1)} (benign only: ${((1000 * benign.filter((r) => r.alert).length) / benign.length).toFixed(1)})`,
);

console.log(
  "\ntime to detect per scenario (from the incident's first event to its alert; a day window alerts at its end unless a rule fires first):",
);
// First labelled event per (scenario, user, day window): where each incident starts.
const incidentStart = new Map<string, number>();
for (const e of sim.events) {
  if (!e.label) continue;
  const key = `${e.label}|${e.user}|${Math.floor(e.time / 86_400_000)}`;
  if (!incidentStart.has(key)) incidentStart.set(key, e.time);
}
for (const scenario of [...SCENARIOS, ...SUBTLE_SCENARIOS]) {
  const windows = rows.filter((r) => r.labels.includes(scenario));
  const detected = windows.filter((r) => r.alert);
  const delays = detected
    .map((r) => {
      const start = incidentStart.get(`${scenario}|${r.user}|${Math.floor(r.start / 86_400_000)}`) ?? r.start;
      const at = r.firstRuleHitAt !== null && r.firstRuleHitAt >= start ? r.firstRuleHitAt : r.end;
      return (at - start) / 60_000;
    })
    .sort((a, b) => a - b);
  const ttd = delays.length
    ? `median ${delays[Math.floor((delays.length - 1) / 2)].toFixed(1)} min, max ${delays[delays.length - 1].toFixed(1)} min`
    : 'not detected';
  const reason = (detected.find((r) => r.labels.length === 1) ?? detected[0])?.reasons[0]?.text ?? '';
  console.log(
    `  ${scenario.padEnd(20)} ${String(detected.length).padStart(3)}/${String(windows.length).padEnd(3)} user-days alerted; ${ttd.padEnd(32)} ${reason.slice(0, 80)}`,
  );
}

const benignT5 = thresholdAtFpr(items, 0.05);
for (const [name, t] of [
  [`site threshold ${threshold}`, threshold],
  [`5 % FPR threshold ${benignT5.toFixed(1)}`, benignT5],
] as const) {
  console.log(`\nfairness on benign user-days at the ${name}:`);
  for (const [label, key] of [
    ['role', (r: Row) => staff.get(r.user)?.role ?? '?'],
    [
      'shift',
      (r: Row) => {
        const s = staff.get(r.user);
        const weekday = Math.floor((r.start - sim.start) / 86_400_000) % 7;
        return `${s?.shift ?? '?'}${weekday >= 5 ? '/weekend' : ''}`;
      },
    ],
  ] as const) {
    const groups = rateByGroup(benign, key, (r) => r.score >= t);
    const text = [...groups].map(([g, v]) => `${g} ${pct(v.rate)} (${v.hits}/${v.n})`).join(', ');
    console.log(
      `  per ${label}: ${text}; largest ratio ${largestRatio(groups).toFixed(2)} (groups of >= 50 user-days)`,
    );
  }
}
