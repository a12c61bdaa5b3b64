// A CSV file with a header row, read one line at a time (node:readline over a
// read stream) so that CERT's largest tables (http.csv, ~14 GB) stream in
// constant memory. Columns are found by header name, never by position: the
// releases add and move columns (file.csv, device.csv, http.csv).
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseCsvLine, parseCsvRecord } from './csv-line';

/**
 * A quoted field may span lines (a message's text); a record is joined over at most this many
 * lines and characters. Past them, or when the joined record does not have the header's field
 * count, the quote is taken as broken: the first line is a bad row and the lines after it are read
 * as rows of their own, so one stray quote loses one row.
 */
export const MAX_RECORD_LINES = 100;
export const MAX_RECORD_CHARS = 256 * 1024;

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

/** `line` counts physical lines from 1 (the header), a record's first; a bad row says why it was not read. */
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
  let read = 1;
  /** Lines read ahead to join a record, given back when the join failed. */
  const ahead: { line: number; text: string }[] = [];
  const next = async () => {
    const back = ahead.shift();
    if (back) return back;
    const result = await lines.next();
    return result.done ? undefined : { line: ++read, text: result.value };
  };
  /** The rest of a record whose first line ends inside a quoted field; undefined when it does not end well. */
  const joined = async (text: string): Promise<string[] | undefined> => {
    const taken: { line: number; text: string }[] = [];
    let record = text;
    while (taken.length < MAX_RECORD_LINES - 1 && record.length <= MAX_RECORD_CHARS) {
      const more = await next();
      if (!more) break;
      taken.push(more);
      record += `\n${more.text}`;
      // A line without a quote cannot close the field: the record is parsed again only when it might.
      if (!more.text.includes('"')) continue;
      const fields = parseCsvRecord(record);
      if (fields === 'unterminated') continue;
      if (fields !== 'malformed' && fields.length === columns.length) return fields;
      break;
    }
    ahead.unshift(...taken);
    return undefined;
  };
  async function* rows(): AsyncGenerator<CsvRow> {
    try {
      if (first.done) return;
      if (layout) yield { line: 1, record: new CsvRecord(index, header) };
      for (let row = await next(); row; row = await next()) {
        const { line, text } = row;
        if (text.trim() === '') continue;
        const parsed = parseCsvRecord(text);
        const fields = parsed === 'unterminated' ? await joined(text) : parsed;
        if (fields === undefined || fields === 'malformed') yield { line, bad: 'quote' };
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
