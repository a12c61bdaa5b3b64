import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_RECORD_LINES, missingColumns, openCsvFile, type CsvRow } from './csv-file';
import { tempFolders } from '../../lib/script-test.fixture';

const tempFolder = tempFolders();
async function csv(text: string): Promise<string> {
  const path = join(await tempFolder('cert-csv'), 't.csv');
  await writeFile(path, text);
  return path;
}

async function readAll(path: string): Promise<{ columns: readonly string[]; rows: CsvRow[] }> {
  const file = await openCsvFile(path);
  const rows: CsvRow[] = [];
  for await (const row of file.rows) rows.push(row);
  return { columns: file.columns, rows };
}

describe('openCsvFile', () => {
  it('reads a file without a header row by the columns given for its first line, that line a row', async () => {
    const path = await csv('{a},x\n{b},y\n');
    const file = await openCsvFile(path, { headerless: (line) => (line[0].startsWith('{') ? ['id', 'v'] : undefined) });
    const rows: CsvRow[] = [];
    for await (const row of file.rows) rows.push(row);
    expect(file.columns).toEqual(['id', 'v']);
    expect(rows.map((row) => ('record' in row ? [row.line, row.record.get('id'), row.record.get('v')] : row))).toEqual([
      [1, '{a}', 'x'],
      [2, '{b}', 'y'],
    ]);
    // A header is still a header.
    expect((await openCsvFile(await csv('id,v\n{a},x\n'), { headerless: () => undefined })).columns).toEqual([
      'id',
      'v',
    ]);
  });

  it('names columns by the header (trimmed, lower case, BOM dropped) and reads CRLF lines', async () => {
    const { columns, rows } = await readAll(await csv('\ufeff"ID", Date ,User\r\n{a},01/04/2010 07:00:00,KLM0001\r\n'));
    expect(columns).toEqual(['id', 'date', 'user']);
    expect(rows).toHaveLength(1);
    const row = rows[0];
    expect('record' in row && [row.record.get('user'), row.record.get('id'), row.record.get('pc')]).toEqual([
      'KLM0001',
      '{a}',
      undefined,
    ]);
  });

  it('reports a line with the wrong number of fields or a broken quote by line number, and reads on', async () => {
    const text =
      'id,url,content\n1,http://a.example/,"x, y"\n2,http://b.example/\n\n3,u,"broken\n4,u,v\n5,u,"w"x\n6,u,"z"\n';
    const { rows } = await readAll(await csv(text));
    const shape = rows.map((row) => ('record' in row ? { line: row.line, id: row.record.get('id') } : row));
    expect(shape).toEqual([
      { line: 2, id: '1' },
      { line: 3, bad: 'field_count' },
      { line: 5, bad: 'quote' },
      { line: 6, id: '4' },
      { line: 7, bad: 'quote' },
      { line: 8, id: '6' },
    ]);
  });

  it('joins a quoted field that spans lines into one record, numbered by its first line', async () => {
    const text = 'id,url,content\r\n1,u,"first line\r\n\r\nthird, with ""quotes""\r\nlast"\r\n2,u,v\r\n';
    const { rows } = await readAll(await csv(text));
    expect(rows.map((row) => ('record' in row ? [row.line, row.record.get('content')] : row))).toEqual([
      [2, 'first line\n\nthird, with "quotes"\nlast'],
      [6, 'v'],
    ]);
  });

  it("gives the lines back when a joined record would not have the header's fields, or grows too long", async () => {
    const stray = 'id,url,content\n1,u,"stray\n2,u,v\n3,"u",w\n';
    const long = `id,url,content\n1,u,"long\n${Array.from({ length: MAX_RECORD_LINES }, (_, i) => `${i + 2},u,v`).join('\n')}\n`;
    const shape = async (text: string) =>
      (await readAll(await csv(text))).rows.map((row) => ('record' in row ? row.record.get('id') : row.line));
    expect(await shape(stray)).toEqual([2, '2', '3']);
    expect(await shape(long)).toEqual([2, ...Array.from({ length: MAX_RECORD_LINES }, (_, i) => String(i + 2))]);
  });

  it('gives no columns and no rows for an empty file', async () => {
    expect(await readAll(await csv(''))).toEqual({ columns: [], rows: [] });
  });

  it('rejects a file that is not there', async () => {
    await expect(openCsvFile(join(tmpdir(), 'ww-no-such-dir', 'x.csv'))).rejects.toThrow(/ENOENT/);
  });

  it('names the required columns a header lacks', () => {
    expect(missingColumns(['id', 'date'], ['id', 'user', 'pc'])).toEqual(['user', 'pc']);
  });
});
