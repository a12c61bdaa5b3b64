// Ground truth from CERT's `answers` folder: `insiders.csv` names each insider
// (dataset, scenario, details file), and every line of `r<dataset>-<scenario>/<details>`
// is one malicious row, `<table>,<id>,<the table's row…>`. An id is unique only
// within its table, so a label is keyed by (table, id).
import { readFile, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { CERT_TABLES, type CertTable } from './cert-rows';
import { parseCsvLine } from './csv-line';
import { missingColumns, openCsvFile } from './csv-file';

export interface Answers {
  dataset: string;
  /** Insiders of the dataset in insiders.csv. */
  insiders: number;
  /** `answerKey(table, id)` → label (`cert_scenario_<N>`). */
  labels: ReadonlyMap<string, string>;
  /** Details files named by insiders.csv that are not there. */
  missingFiles: readonly string[];
  /** insiders.csv rows or details lines that could not be used. */
  badLines: number;
}

export const scenarioLabel = (scenario: string) => `cert_scenario_${scenario}`;

export const answerKey = (table: CertTable, id: string) => `${table}\u0000${id}`;

/** `r4.2` → `4.2` (the release folder's name); undefined if the name is not of that form. */
export function datasetFromFolder(releaseDir: string): string | undefined {
  return /^r(\d+(?:\.\d+)?)$/i.exec(basename(resolve(releaseDir)))?.[1];
}

/** `--dataset` may be written `4.2` or `r4.2`. */
export const normaliseDataset = (value: string) => value.trim().replace(/^r/i, '');

/** Reads the labels of one dataset; rejects if insiders.csv is missing or has none of it. */
export async function loadAnswers(answersDir: string, dataset: string): Promise<Answers> {
  const insidersPath = join(answersDir, 'insiders.csv');
  const file = await openCsvFile(insidersPath);
  const missing = missingColumns(file.columns, ['dataset', 'scenario', 'details']);
  if (missing.length > 0) {
    file.close();
    throw new Error(`${insidersPath}: no ${missing.join(', ')} column in the header`);
  }
  const labels = new Map<string, string>();
  const missingFiles: string[] = [];
  const datasets = new Set<string>();
  let insiders = 0;
  let badLines = 0;
  for await (const row of file.rows) {
    if (!('record' in row)) {
      badLines += 1;
      continue;
    }
    const rowDataset = normaliseDataset(row.record.get('dataset') ?? '');
    datasets.add(rowDataset);
    if (rowDataset !== dataset) continue;
    const scenario = row.record.get('scenario')?.trim() ?? '';
    const details = row.record.get('details')?.trim() ?? '';
    // The details name comes from a file: it must not lead out of the answers folder.
    if (!/^\d{1,6}$/.test(scenario) || details === '' || basename(details) !== details || details.includes('\\')) {
      badLines += 1;
      continue;
    }
    insiders += 1;
    const path = join(answersDir, `r${dataset}-${scenario}`, details);
    if (!(await isFile(path))) {
      missingFiles.push(path);
      continue;
    }
    badLines += addDetails(await readFile(path, 'utf8'), scenarioLabel(scenario), labels);
  }
  if (insiders === 0)
    throw new Error(
      `${insidersPath}: no insider of dataset ${dataset} (it lists ${[...datasets].filter(Boolean).join(', ') || 'none'})`,
    );
  return { dataset, insiders, labels, missingFiles, badLines };
}

/** Adds the (table, id) of each line; returns the number of lines that are not `<table>,<id>,…`. */
export function addDetails(text: string, label: string, labels: Map<string, string>): number {
  let bad = 0;
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    // Only the first two fields matter, and they never hold a comma or a quote: a row whose
    // content is not valid CSV still names its table and id.
    const [table, id] = parseCsvLine(line) ?? line.split(',', 2);
    const name = table?.trim().toLowerCase();
    if (!isCertTable(name) || !id?.trim()) {
      bad += 1;
      continue;
    }
    const key = answerKey(name, id.trim());
    // An event belongs to one insider; the first label read is kept.
    if (!labels.has(key)) labels.set(key, label);
  }
  return bad;
}

const isCertTable = (name: string | undefined): name is CertTable =>
  name !== undefined && (CERT_TABLES as readonly string[]).includes(name);

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
