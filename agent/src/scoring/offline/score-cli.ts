#!/usr/bin/env node
// wardwatch-score: offline scoring of a portable NDJSON recording.
//   node agent/dist/scoring/offline/score-cli.js --input events.ndjson --train-until 2026-03-01T00:00:00Z \
//     [--out-csv scores.csv] [--out-json scores.json] [--rules agent/rules] [--model-dir DIR]
//     [--config site-scoring.yaml] [--threshold 60] [--epochs 25] [--no-model] [--inline]
//     [--utc-offset-minutes 0]
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { emptyReadStats, readPortableEvents, type PortableEvent } from '@wardwatch/shared';
import { CSV_HEADER, csvRow, scoreOffline } from './offline-scorer';
import { DEFAULT_RULES_DIR, loadRules } from '../rules/load-rules';
import { parse } from 'yaml';
import { ScoringConfig, scoringConfig, type ScoringConfigInput } from '../../config/scoring-config';

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
    args: argv,
    options: {
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
    },
  });
  const trainUntil = Date.parse(values['train-until'] ?? '');
  if (!values.input || Number.isNaN(trainUntil)) {
    log(
      'usage: wardwatch-score --input events.ndjson --train-until <ISO time> [--out-csv f] [--out-json f] [--rules dir] [--model-dir dir] [--config file] [--threshold 60] [--epochs 25] [--no-model] [--inline]',
    );
    return 2;
  }
  const site = values.config ? await readSiteConfig(values.config) : {};
  const config = scoringConfig({ ...site, ...(values.threshold ? { alertThreshold: Number(values.threshold) } : {}) });
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
    autoencoder: values.epochs ? { epochs: Number(values.epochs) } : undefined,
    utcOffsetMinutes: values['utc-offset-minutes'] ? Number(values['utc-offset-minutes']) : 0,
    onProgress: (p) => {
      if (p.epoch === p.epochs || p.epoch % 5 === 0)
        log(`training epoch ${p.epoch}/${p.epochs} loss ${p.loss.toFixed(4)}`);
    },
  });
  const alerts = outcome.results.filter((r) => r.alert).length;
  log(
    `trained on ${outcome.trainingWindows - outcome.excludedTrainingWindows} windows (${outcome.excludedTrainingWindows} with rule hits left out) in ${Math.round(outcome.trainMs)} ms; model in ${modelFolder}`,
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
