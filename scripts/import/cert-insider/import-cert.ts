// CERT Insider Threat Test Dataset (CMU SEI, releases r1–r6.2) to portable NDJSON,
// for the offline scorer and the evaluation. README.md beside this file has the
// mapping; run with --help for the flags.
//   npx tsx scripts/import/cert-insider/import-cert.ts --dir r4.2 --answers answers --out events.ndjson
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { runMain } from '../../lib/run-main';
import { parseDayArgument } from './cert-date';
import { CERT_TABLES, type CertTable } from './cert-rows';
import { formatSummary } from './import-summary';
import { importCert, prepareImport, type ImportOptions } from './run-import';

const DAY = 86_400_000;

const USAGE = `usage: npx tsx scripts/import/cert-insider/import-cert.ts --dir <release folder> --out <events.ndjson> [options]
  --dir <folder>        a CERT release (logon.csv required; device, file, http, email.csv and LDAP/ if there)
  --out <file>          where to write the portable NDJSON ("-" for stdout)
  --answers <folder>    CERT's answers folder (insiders.csv and r<dataset>-<scenario>/): labels cert_scenario_<N>
  --dataset <n>         the release in insiders.csv, e.g. 4.2 (default: from a folder named like r4.2)
  --from <YYYY-MM-DD>   keep events from this day (the data set's clock, read as UTC)
  --days <n>            keep this many days from --from (e.g. 19: 12 to train, 7 to score)
  --skip <tables>       tables not to read, comma-separated: ${CERT_TABLES.filter((t) => t !== 'logon').join(',')}
  --help                this text
Times are written as UTC: score with --utc-offset-minutes 0 (the default). The file is in table order.`;

/** The options of a command line, or a message saying what is wrong with it. */
export function parseImportArgs(
  argv: string[],
): { options: ImportOptions; out: string } | { message: string } | { help: string } {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        dir: { type: 'string' },
        out: { type: 'string' },
        answers: { type: 'string' },
        dataset: { type: 'string' },
        from: { type: 'string' },
        days: { type: 'string' },
        skip: { type: 'string' },
        help: { type: 'boolean' },
      },
    }));
  } catch (error) {
    return { message: (error as Error).message };
  }
  if (values.help) return { help: USAGE };
  if (!values.dir || !values.out) return { message: `--dir and --out are required\n${USAGE}` };
  const from = values.from === undefined ? undefined : parseDayArgument(values.from);
  if (from === null) return { message: `--from: a day as YYYY-MM-DD, not ${values.from}` };
  const days = values.days === undefined ? undefined : Number(values.days);
  if (days !== undefined && !(Number.isInteger(days) && days > 0))
    return { message: `--days: a whole number of days above 0, not ${values.days}` };
  if (days !== undefined && from === undefined) return { message: '--days needs --from' };
  const skip = (values.skip ?? '').split(',').filter((t) => t.trim() !== '');
  const unknown = skip.filter((t) => t === 'logon' || !(CERT_TABLES as readonly string[]).includes(t));
  if (unknown.length > 0)
    return {
      message: `--skip: ${unknown.join(', ')}: not one of ${CERT_TABLES.filter((t) => t !== 'logon').join(', ')}`,
    };
  const options: ImportOptions = {
    releaseDir: values.dir,
    answersDir: values.answers,
    dataset: values.dataset,
    from,
    until: from !== undefined && days !== undefined ? from + days * DAY : undefined,
    skip: new Set(skip as CertTable[]),
  };
  return { options, out: values.out };
}

/** Where the command's text goes and how it opens its output; tests give their own. */
export interface CliIo {
  /** Messages and the summary (stderr). */
  log(text: string): void;
  /** --help (stdout). */
  print(text: string): void;
  openOut(path: string): Writable;
}

const PROCESS_IO: CliIo = {
  log: (text) => process.stderr.write(`${text}\n`),
  print: (text) => process.stdout.write(`${text}\n`),
  openOut: (path) => (path === '-' ? process.stdout : createWriteStream(path)),
};

/** Runs the importer; returns the exit code. */
export async function runImportCli(argv: string[], io: Partial<CliIo> = {}): Promise<number> {
  const { log, print, openOut } = { ...PROCESS_IO, ...io };
  const parsed = parseImportArgs(argv);
  if ('help' in parsed) {
    print(parsed.help);
    return 0;
  }
  if ('message' in parsed) {
    log(`import-cert: ${parsed.message}`);
    return 1;
  }
  let prepared;
  try {
    prepared = await prepareImport(parsed.options);
  } catch (error) {
    log(`import-cert: ${(error as Error).message}`);
    return 1;
  }
  // Opened only once the input is known to be usable, so a typo does not truncate a file.
  const out = openOut(parsed.out);
  const toFile = out !== process.stdout;
  try {
    const summary = await importCert(prepared, out);
    if (toFile) await finished(out.end());
    log(formatSummary(summary));
    log(`  written to ${toFile ? parsed.out : 'stdout'}`);
    return 0;
  } catch (error) {
    // A half-written file would be scored as if it were the data set.
    if (toFile) {
      out.destroy();
      await rm(parsed.out, { force: true }).catch(() => {});
    }
    log(`import-cert: ${(error as Error).message}${toFile ? ` (${parsed.out} removed)` : ''}`);
    return 1;
  }
}

if (require.main === module) runMain('import-cert', (argv) => runImportCli(argv));
