// Reads a CERT release table by table and writes portable NDJSON. Invariants:
// every line written passed PortableEvent; every row read is either written or
// counted with a reason; at most one row is held in memory (the output waits for
// `drain`); the output is in table order, not time order (the scorer sorts).
import { once } from 'node:events';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { formatPortableLine, PortableEvent, type PortableEventInput } from '@wardwatch/shared';
import { answerKey, datasetFromFolder, loadAnswers, normaliseDataset, type Answers } from './answers';
import { CERT_TABLES, headerlessLayout, mapCertRow, readRowBase, REQUIRED_COLUMNS, type CertTable } from './cert-rows';
import { missingColumns, openCsvFile } from './csv-file';
import { findLdapFolder, loadDirectory, type Directory, type DirectoryFacts } from './directory';
import { emptySummary, noteSkipped, noteWritten, type ImportSummary } from './import-summary';

export interface ImportOptions {
  releaseDir: string;
  answersDir?: string;
  /** `4.2`; default: from the release folder's name (`r4.2`). Needed with answers. */
  dataset?: string;
  /** Keep from ≤ time < until (epoch ms, the data set's clock read as UTC). */
  from?: number;
  until?: number;
  skip?: ReadonlySet<CertTable>;
}

/** A problem with the input the user can fix: the CLI prints the message and exits 1. */
export class ImportError extends Error {}

/** Everything checked before the output is opened: folders, headers, answers, directory. */
export interface PreparedImport {
  options: ImportOptions;
  /** The tables to read, each with a header that has the columns needed. */
  tables: { table: CertTable; path: string }[];
  skipped: CertTable[];
  absent: CertTable[];
  answers?: Answers;
  directory?: Directory;
}

export async function prepareImport(options: ImportOptions): Promise<PreparedImport> {
  const { releaseDir } = options;
  if (!(await kind(releaseDir)).folder) throw new ImportError(`${releaseDir}: no such folder`);
  if (!(await kind(join(releaseDir, 'logon.csv'))).file)
    throw new ImportError(`${join(releaseDir, 'logon.csv')}: missing (every CERT release has one)`);
  const prepared: PreparedImport = { options, tables: [], skipped: [], absent: [] };
  for (const table of CERT_TABLES) {
    const path = join(releaseDir, `${table}.csv`);
    if (options.skip?.has(table)) prepared.skipped.push(table);
    else if (!(await kind(path)).file) prepared.absent.push(table);
    else {
      await checkHeader(table, path);
      prepared.tables.push({ table, path });
    }
  }
  if (options.answersDir) prepared.answers = await readAnswers(options.answersDir, options);
  const ldap = await findLdapFolder(releaseDir);
  if (ldap) prepared.directory = await failAsImportError(() => loadDirectory(ldap));
  return prepared;
}

export async function importCert(prepared: PreparedImport, out: Writable): Promise<ImportSummary> {
  const { options, answers, directory } = prepared;
  const summary = emptySummary(options.releaseDir, { from: options.from, until: options.until });
  summary.directory = directory;
  if (answers) {
    const { labels, ...rest } = answers;
    summary.answers = { ...rest, labelledRows: labels.size };
  }
  for (const table of prepared.skipped) summary.tables[table] = { state: 'skipped' };
  for (const table of prepared.absent) summary.tables[table] = { state: 'absent' };
  let outputError: Error | undefined;
  out.once('error', (error: Error) => (outputError = error));
  const context = { options, out, summary, answers, facts: directory?.facts, failed: () => outputError };
  for (const { table, path } of prepared.tables) await importTable(table, path, context);
  if (outputError !== undefined) throw outputError;
  return summary;
}

interface TableContext {
  options: ImportOptions;
  out: Writable;
  summary: ImportSummary;
  answers?: Answers;
  facts?: ReadonlyMap<string, DirectoryFacts>;
  /** An error the output reported, if any: the import stops at the next row. */
  failed: () => Error | undefined;
}

async function checkHeader(table: CertTable, path: string): Promise<void> {
  const file = await openCsvFile(path, { headerless: (line) => headerlessLayout(table, line) });
  file.close();
  const missing = missingColumns(file.columns, REQUIRED_COLUMNS[table]);
  if (missing.length > 0)
    throw new ImportError(`${path}: no ${missing.join(', ')} column in the header (${file.columns.join(',')})`);
}

async function importTable(table: CertTable, path: string, c: TableContext): Promise<void> {
  const file = await openCsvFile(path, { headerless: (line) => headerlessLayout(table, line) });
  const state = { state: 'read' as const, rows: 0, badRows: 0 };
  c.summary.tables[table] = state;
  const { from = -Infinity, until = Infinity } = c.options;
  for await (const row of file.rows) {
    state.rows += 1;
    const base = 'record' in row ? readRowBase(row.record) : null;
    if (!base || !('record' in row)) {
      state.badRows += 1;
      noteSkipped(c.summary, 'bad_row', undefined);
      continue;
    }
    const key = answerKey(table, base.id);
    const label = c.answers?.labels.get(key);
    if (label !== undefined) c.summary.answerKeysSeen.add(key);
    if (base.time < from || base.time >= until) {
      noteSkipped(c.summary, 'outside_period', label);
      continue;
    }
    const mapped = mapCertRow(table, base, row.record);
    if ('skip' in mapped) {
      if (mapped.skip === 'bad_row') state.badRows += 1;
      noteSkipped(c.summary, mapped.skip, label);
      continue;
    }
    const input: PortableEventInput = { ...mapped.event, ...c.facts?.get(base.user), ...(label && { label }) };
    const parsed = PortableEvent.safeParse(input);
    if (!parsed.success) {
      noteSkipped(c.summary, 'invalid', label);
      continue;
    }
    const error = c.failed();
    if (error !== undefined) throw error;
    if (!c.out.write(`${formatPortableLine(parsed.data)}\n`)) await once(c.out, 'drain');
    noteWritten(c.summary, parsed.data);
  }
}

async function readAnswers(answersDir: string, options: ImportOptions): Promise<Answers> {
  const dataset = options.dataset ? normaliseDataset(options.dataset) : datasetFromFolder(options.releaseDir);
  if (!dataset)
    throw new ImportError(`--dataset is needed with --answers: the folder name does not say (e.g. r4.2 → 4.2)`);
  if (!(await kind(join(answersDir, 'insiders.csv'))).file)
    throw new ImportError(`${join(answersDir, 'insiders.csv')}: missing (the answers folder's list of insiders)`);
  return failAsImportError(() => loadAnswers(answersDir, dataset));
}

/** A file the importer reads that is not as expected is the user's to fix. */
async function failAsImportError<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    throw new ImportError((error as Error).message);
  }
}

async function kind(path: string): Promise<{ file: boolean; folder: boolean }> {
  try {
    const s = await stat(path);
    return { file: s.isFile(), folder: s.isDirectory() };
  } catch {
    return { file: false, folder: false };
  }
}
