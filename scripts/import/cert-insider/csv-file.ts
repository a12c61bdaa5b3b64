// A CSV file with a header row, read one line at a time (node:readline over a
// read stream) so that CERT's largest tables (http.csv, ~14 GB) stream in
// constant memory. Columns are found by header name, never by position: the
// releases add and move columns (file.csv, device.csv, http.csv).
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseCsvLine } from './csv-line';

/** One data row; a field is looked up by its lower-case header name. */
export class CsvRecord {
  constructor(
    private readonly columns: ReadonlyMap<string, number>,
    readonly fields: readonly string[],
  ) {}

  get(name: string): string | undefined {
    const index = this.columns.get(name);
    return index === undefined ? undefined : this.fields[index];
  }
}

/** `line` counts physical lines from 1 (the header); a bad row says why it was not read. */
export type CsvRow = { line: number; record: CsvRecord } | { line: number; bad: 'quote' | 'field_count' };

export interface CsvFile {
  /** Header names, trimmed and lower-cased; empty for an empty file. */
  columns: readonly string[];
  /** The data rows; blank lines are passed over. Ending the loop early closes the file. */
  rows: AsyncGenerator<CsvRow>;
  /** Closes the file when its rows will not be read (a header without the columns needed). */
  close(): void;
}

export interface CsvOptions {
  /**
   * For files that may come without a header row: given the first line's fields, the columns to read
   * them by when that line is data (then it is the first row), or undefined when it is the header.
   */
  headerless?: (firstLine: readonly string[]) => readonly string[] | undefined;
}

/** Opens a CSV file and reads its header; rejects if the file cannot be read. */
export async function openCsvFile(path: string, options: CsvOptions = {}): Promise<CsvFile> {
  const input = createReadStream(path, { encoding: 'utf8' });
  // A read error (missing file, a folder) rejects the first `next()` rather than crashing later.
  const failed = new Promise<never>((_, reject) => input.once('error', reject));
  failed.catch(() => {}); // a later error reaches the rows through readline
  const reader = createInterface({ input, crlfDelay: Infinity });
  const lines = reader[Symbol.asyncIterator]();
  const close = () => {
    reader.close();
    input.destroy();
  };
  let first: IteratorResult<string>;
  try {
    first = await Promise.race([lines.next(), failed]);
  } catch (error) {
    close();
    throw error;
  }
  const header = first.done ? [] : (parseCsvLine(first.value.replace(/^\ufeff/, '')) ?? []);
  const layout = first.done ? undefined : options.headerless?.(header);
  const columns = (layout ?? header).map((name) => name.trim().toLowerCase());
  const index = new Map(columns.map((name, i) => [name, i] as const));
  async function* rows(): AsyncGenerator<CsvRow> {
    let line = 1;
    try {
      if (first.done) return;
      if (layout) yield { line, record: new CsvRecord(index, header) };
      for await (const text of { [Symbol.asyncIterator]: () => lines }) {
        line += 1;
        if (text.trim() === '') continue;
        const fields = parseCsvLine(text);
        if (fields === null) yield { line, bad: 'quote' };
        else if (fields.length !== columns.length) yield { line, bad: 'field_count' };
        else yield { line, record: new CsvRecord(index, fields) };
      }
    } finally {
      close();
    }
  }
  return { columns, rows: rows(), close };
}

/** The required columns a header lacks, for a clear message instead of every row being bad. */
export function missingColumns(columns: readonly string[], required: readonly string[]): string[] {
  return required.filter((name) => !columns.includes(name));
}
