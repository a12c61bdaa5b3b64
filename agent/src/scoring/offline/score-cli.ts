#!/usr/bin/env node
// wardwatch-score: offline scoring of a portable NDJSON recording.
//   node agent/dist/scoring/offline/score-cli.js --input events.ndjson --train-until 2026-03-01T00:00:00Z \
//     [--out-csv scores.csv] [--out-json scores.json] [--rules agent/rules] [--model-dir DIR]
//     [--config site-scoring.yaml] [--threshold 60] [--epochs 25] [--no-model] [--inline]
//     [--utc-offset-minutes 0] [--window-minutes 1440] [--day-boundary shift|midnight] [--retrain-days 7] [--<any numeric setting of the config file> n] [--help]
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { emptyReadStats, readPortableEvents, type PortableEvent } from '@wardwatch/shared/agent';
import { CSV_HEADER, csvRow, scoreOffline } from './offline-scorer';
import { DEFAULT_RULES_DIR, loadRules } from '../rules/load-rules';
import { parse } from 'yaml';
import { ScoringConfig, type ScoringConfigInput } from '../../config/scoring-config';
import {
  joinNegativeValues,
  numberFlag,
  retrainDaysFlag,
  settingOptions,
  settingsFromFlags,
  settingsHelp,
} from './cli-args';

const USAGE = `usage: wardwatch-score --input events.ndjson --train-until <ISO time> [options]
  --out-csv <file>, --out-json <file>   where to write the scores (default: CSV on stdout)
  --rules <dir>                          detection rules (default: the agent's)
  --model-dir <dir>                      where the model is saved (default: a temporary folder)
  --config <file.yaml>                   site settings, as in the agent's scoring: section
  --threshold <n>                        same as --alertThreshold
  --window-minutes <n>                   window length (default 1440: a day; 60 for hourly)
  --utc-offset-minutes <n>               site time zone, minutes east of UTC (e.g. -300)
  --day-boundary shift|midnight          where a day window begins: each user's own quiet hour (default), or midnight
  --retrain-days <n>                     learn again every n days while scoring, as the agent does (default 7; 0 never)
  --epochs <n>, --no-model, --inline     autoencoder training: epochs, none, in this thread
  --help                                 this text
site settings (override the config file):
${settingsHelp()}`;

const VALUE_FLAGS = new Set([
  'input',
  'train-until',
  'out-csv',
  'out-json',
  'rules',
  'model-dir',
  'threshold',
  'config',
  'epochs',
  'utc-offset-minutes',
  'window-minutes',
  'day-boundary',
  'retrain-days',
  ...Object.keys(settingOptions()),
]);

/** Config file, then flags, validated together so that a bad value is named, not clamped. */
function siteSettings(path: string, site: ScoringConfigInput, flags: ScoringConfigInput) {
  const result = ScoringConfig.safeParse({ ...site, ...flags });
  if (!result.success)
    throw new Error(`${path}: ${result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return result.data;
}

/** A site's scoring settings (YAML or JSON), validated so that a typo is named, not ignored. */
async function readSiteConfig(path: string): Promise<ScoringConfigInput> {
  const raw: unknown = parse(await readFile(path, 'utf8'));
  const result = ScoringConfig.strict().safeParse(raw ?? {});
  if (!result.success) {
    throw new Error(
      `${path}: ${result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`,
    );
  }
  return raw as ScoringConfigInput;
}

export async function runCli(
  argv: string[],
  log: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
): Promise<number> {
  const { values } = parseArgs({
    args: joinNegativeValues(argv, VALUE_FLAGS),
    options: {
      ...settingOptions(),
      help: { type: 'boolean' },
      'window-minutes': { type: 'string' },
      input: { type: 'string' },
      'train-until': { type: 'string' },
      'out-csv': { type: 'string' },
      'out-json': { type: 'string' },
      rules: { type: 'string' },
      'model-dir': { type: 'string' },
      threshold: { type: 'string' },
      config: { type: 'string' },
      epochs: { type: 'string' },
      'no-model': { type: 'boolean' },
      inline: { type: 'boolean' },
      'utc-offset-minutes': { type: 'string' },
      'day-boundary': { type: 'string' },
      'retrain-days': { type: 'string' },
    },
  });
  if (values.help) {
    log(USAGE);
    return 0;
  }
  const trainUntil = Date.parse(values['train-until'] ?? '');
  if (!values.input || Number.isNaN(trainUntil)) {
    log(USAGE);
    return 2;
  }
  const site = values.config ? await readSiteConfig(values.config) : {};
  const flags = settingsFromFlags(values);
  if (values.threshold) flags.alertThreshold = numberFlag(values, 'threshold', 60);
  const config = siteSettings(values.config ?? 'settings', site, flags);
  const windowMinutes = numberFlag(values, 'window-minutes', 1_440);
  if (!Number.isInteger(windowMinutes) || windowMinutes < 1 || windowMinutes > 1_440)
    throw new Error(`--window-minutes: a whole number of minutes from 1 to 1440, not ${windowMinutes}`);
  const utcOffsetMinutes = numberFlag(values, 'utc-offset-minutes', 0);
  if (!Number.isInteger(utcOffsetMinutes) || Math.abs(utcOffsetMinutes) > 14 * 60)
    throw new Error(`--utc-offset-minutes: whole minutes within ±840, not ${utcOffsetMinutes}`);
  const dayBoundary = values['day-boundary'] ?? 'shift';
  if (dayBoundary !== 'shift' && dayBoundary !== 'midnight')
    throw new Error(`--day-boundary: shift or midnight, not ${dayBoundary}`);
  const retrainDays = retrainDaysFlag(values);
  const rules = await loadRules(values.rules ?? DEFAULT_RULES_DIR);
  const stats = emptyReadStats();
  const events: PortableEvent[] = [];
  let shown = 0;
  for await (const event of readPortableEvents(
    createReadStream(values.input),
    (bad) => {
      if (shown++ < 10) log(`line ${bad.line}: ${bad.reason}`);
    },
    stats,
  )) {
    events.push(event);
  }
  log(
    `read ${stats.records} events from ${stats.lines} lines (${stats.errors} bad: ${JSON.stringify(stats.errorsByReason)})`,
  );
  const modelFolder = values['model-dir'] ?? (await mkdtemp(join(tmpdir(), 'wardwatch-model-')));
  const outcome = await scoreOffline(events, {
    trainUntil,
    modelFolder,
    config,
    rules,
    withoutModel: values['no-model'],
    trainer: values.inline ? 'inline' : 'worker',
    autoencoder: values.epochs ? { epochs: numberFlag(values, 'epochs', 25) } : undefined,
    utcOffsetMinutes,
    windowMs: windowMinutes * 60_000,
    dayBoundary,
    retrainDays,
    onProgress: (p) => {
      if (p.epoch === p.epochs || p.epoch % 5 === 0)
        log(`training epoch ${p.epoch}/${p.epochs} loss ${p.loss.toFixed(4)}`);
    },
  });
  const alerts = outcome.results.filter((r) => r.alert).length;
  const { trainings } = outcome;
  const [first, last] = [trainings[0], trainings[trainings.length - 1]];
  const later =
    trainings.length > 1
      ? `, last on ${last.windows} (${last.alerted} that alerted in the last two weeks left out)`
      : '';
  log(
    `trained ${trainings.length} time(s), first on ${first.windows} windows (${first.withRuleHits} with rule hits left out)${later}, in ${Math.round(outcome.trainMs)} ms; model in ${modelFolder}`,
  );
  log(
    `scored ${outcome.results.length} windows, ${alerts} alerts, ${outcome.ruleHits} rule hits, ${outcome.lateEvents} late events`,
  );
  if (values['out-csv'])
    await writeFile(values['out-csv'], [CSV_HEADER, ...outcome.results.map(csvRow)].join('\n') + '\n');
  if (values['out-json']) await writeFile(values['out-json'], JSON.stringify(outcome.results, null, 1));
  if (!values['out-csv'] && !values['out-json'])
    process.stdout.write([CSV_HEADER, ...outcome.results.map(csvRow)].join('\n') + '\n');
  return 0;
}

if (require.main === module) {
  runCli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`wardwatch-score: ${(error as Error).message}\n`);
      process.exit(1);
    },
  );
}
