import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough, Readable, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readPortableEvents, type PortableEvent } from '@wardwatch/shared';
import { importCert, prepareImport, type ImportOptions } from './run-import';
import { tempFolders } from '../../lib/script-test.fixture';

const tempFolder = tempFolders();
const fixtures = join(__dirname, 'fixtures');
const r42 = join(fixtures, 'r4.2');
const r62 = join(fixtures, 'r6.2');
const answersDir = join(fixtures, 'answers');
const DAY = 86_400_000;

/** Imports into memory and reads the NDJSON back with the format's own reader. */
async function run(options: ImportOptions) {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  const summary = await importCert(await prepareImport(options), out);
  out.end();
  const bad: unknown[] = [];
  const events: PortableEvent[] = [];
  const text = Readable.from([Buffer.concat(chunks)]);
  for await (const event of readPortableEvents(text, (line) => bad.push(line))) events.push(event);
  return { summary, events, bad };
}

const at = (iso: string) => Date.parse(iso);

describe('importCert on the fixture release r4.2', () => {
  it('writes lines the portable reader takes without a bad line, one per mappable row', async () => {
    const { events, bad, summary } = await run({ releaseDir: r42, answersDir });
    expect(bad).toEqual([]);
    expect(events).toHaveLength(22);
    expect(Object.fromEntries(summary.written)).toEqual({
      logon: 8,
      logoff: 4,
      device_connect: 2,
      device_disconnect: 2,
      file_copy: 2,
      net_connect: 4,
    });
    // logon: a month 13 (bad) and 1969 (before the epoch: the schema refuses it); http: a missing
    // column and a URL without a host (its quoted field over two lines is one row); email: two.
    expect(Object.fromEntries(summary.skipped)).toEqual({ bad_row: 2, invalid: 1, bad_url: 1, email: 2 });
    expect(summary.users).toEqual(new Set(['KLM0001', 'TUV0003', 'QRS0002', 'WXY0004']));
    expect(summary.tables).toEqual({
      logon: { state: 'read', rows: 14, badRows: 1 },
      device: { state: 'read', rows: 4, badRows: 0 },
      file: { state: 'read', rows: 2, badRows: 0 },
      http: { state: 'read', rows: 6, badRows: 1 },
      email: { state: 'read', rows: 2, badRows: 0 },
    });
  });

  it('puts the scenario label on exactly the answer rows, keyed by table and id', async () => {
    const { events, summary } = await run({ releaseDir: r42, answersDir });
    const labelled = events
      .filter((e) => e.label !== undefined)
      .map((e) => `${e.kind} ${new Date(e.time).toISOString()} ${e.label}`)
      .sort();
    expect(labelled).toEqual([
      'device_connect 2010-01-04T23:50:10.000Z cert_scenario_1',
      'device_disconnect 2010-01-05T00:40:00.000Z cert_scenario_1',
      'file_copy 2010-01-04T23:55:00.000Z cert_scenario_1',
      'logoff 2010-01-05T01:12:55.000Z cert_scenario_1',
      'logon 2010-01-04T23:41:09.000Z cert_scenario_1',
      'net_connect 2010-01-05T00:20:00.000Z cert_scenario_1',
    ]);
    // KLM0001's logon has the id of a labelled device row: another table, so benign.
    expect(events.find((e) => e.user === 'KLM0001' && e.time === at('2010-01-05T08:01:00Z'))?.label).toBeUndefined();
    expect(events.filter((e) => e.user !== 'QRS0002').every((e) => e.label === undefined)).toBe(true);
    const scenario = summary.labelled.get('cert_scenario_1');
    expect([scenario?.events, scenario?.userDays.size]).toEqual([6, 2]);
    // The labelled email is met but cannot be written.
    expect(Object.fromEntries(summary.labelledNotWritten)).toEqual({ email: 1 });
    expect(summary.answerKeysSeen.size).toBe(7);
  });

  it('adds role and unit from LDAP and maps each table as the README says', async () => {
    const { events } = await run({ releaseDir: r42 });
    expect(events.every((e) => e.label === undefined)).toBe(true);
    const copy = events.find((e) => e.kind === 'file_copy' && e.user === 'KLM0001');
    expect(copy).toEqual({
      v: 1,
      time: at('2010-01-05T10:05:00Z'),
      host: 'PC-0101',
      user: 'KLM0001',
      role: 'Salesman',
      unit: '2 - Sales And Marketing',
      kind: 'file_copy',
      path: 'Q1 plan, final.XLSX',
      folderClass: 'other',
      extension: 'xlsx',
      targetPath: 'removable:\\Q1 plan, final.XLSX',
      targetFolderClass: 'removable',
    });
    const web = events.find((e) => e.kind === 'net_connect' && e.user === 'TUV0003');
    expect(web).toMatchObject({ role: 'Lead Engineer', unit: '6 - Manufacturing', remoteAddress: 'mail.example.net' });
    expect(web).toMatchObject({ remotePort: 443 });
    const stranger = events.find((e) => e.user === 'WXY0004');
    expect(stranger?.role).toBeUndefined();
    expect(stranger?.unit).toBeUndefined();
  });

  it('keeps only from ≤ time < from + days, and counts what the period left out', async () => {
    const from = at('2010-01-05T00:00:00Z');
    const { events, summary } = await run({ releaseDir: r42, answersDir, from, until: from + DAY });
    // WXY0004's logoff at 2010-01-05 00:00:00 is in; the logon at 2010-01-06 00:00:00 is not.
    expect(events.length).toBe(11);
    expect(events.filter((e) => e.user === 'WXY0004').map((e) => e.time)).toEqual([from, at('2010-01-05T12:30:00Z')]);
    expect(events.every((e) => e.time >= from && e.time < from + DAY)).toBe(true);
    // Eight logon rows (the 1969 one too), one each of device and file, and two of http.
    expect(summary.skipped.get('outside_period')).toBe(12);
    expect(events.filter((e) => e.label).map((e) => e.kind)).toEqual(['logoff', 'device_disconnect', 'net_connect']);
    expect(Object.fromEntries(summary.labelledNotWritten)).toEqual({ outside_period: 3, email: 1 });
    expect(summary.labelled.get('cert_scenario_1')?.userDays.size).toBe(1);
  });

  it('does not read a skipped table', async () => {
    const { events, summary } = await run({ releaseDir: r42, skip: new Set(['http', 'email']) });
    expect(events.some((e) => e.kind === 'net_connect')).toBe(false);
    expect(summary.tables.http).toEqual({ state: 'skipped' });
    expect(summary.skipped.get('email')).toBeUndefined();
  });
});

describe('importCert on the fixture release r6.2 (file activities, r6 columns)', () => {
  it('maps File Copy / Write / Delete by their flags, skips File Open, and labels by the folder’s dataset', async () => {
    const { events, bad, summary } = await run({ releaseDir: r62, answersDir });
    expect(bad).toEqual([]);
    const files = events
      .filter((e) => e.kind.startsWith('file_'))
      .map((e) => ({ kind: e.kind, label: e.label, ...('folderClass' in e && { folderClass: e.folderClass }) }));
    expect(files).toEqual([
      { kind: 'file_copy', label: 'cert_scenario_2', folderClass: 'other' },
      { kind: 'file_write', label: 'cert_scenario_2', folderClass: 'removable' },
      { kind: 'file_delete', label: undefined, folderClass: 'other' },
      { kind: 'file_copy', label: undefined, folderClass: 'removable' },
    ]);
    expect(summary.skipped.get('file_open')).toBe(1);
    expect(events.find((e) => e.kind === 'net_connect' && e.label)).toMatchObject({
      remoteAddress: 'cloud.example.net',
    });
    expect(summary.tables.email).toEqual({ state: 'absent' });
    expect(summary.answers).toMatchObject({ dataset: '6.2', insiders: 1, labelledRows: 3 });
  });
});

describe('importCert and its output', () => {
  it('waits for the output to drain: no more than a line or two is ever buffered', async () => {
    let maxBuffered = 0;
    let lines = 0;
    const slow = new Writable({
      highWaterMark: 64,
      write(chunk: Buffer, _encoding, done) {
        lines += chunk.toString().split('\n').length - 1;
        setTimeout(done, 1);
      },
    });
    const write = slow.write.bind(slow);
    slow.write = ((chunk: string) => {
      const ok = write(chunk);
      maxBuffered = Math.max(maxBuffered, slow.writableLength);
      return ok;
    }) as typeof slow.write;
    const summary = await importCert(await prepareImport({ releaseDir: r42 }), slow);
    await new Promise<void>((resolve) => slow.end(resolve));
    expect(lines).toBe([...summary.written.values()].reduce((a, b) => a + b, 0));
    // Each line is ~150–280 bytes: without waiting for `drain`, all 19 pile up (> 3 kB).
    expect(maxBuffered).toBeLessThan(600);
  });

  it('stops with the output’s error, also one that comes while it is not waiting for drain', async () => {
    const failing = (when: 'now' | 'later') =>
      new Writable({
        write(_chunk, _encoding, done) {
          if (when === 'now') done(new Error('disk full'));
          else setTimeout(() => done(new Error('disk full')), 0);
        },
      });
    await expect(importCert(await prepareImport({ releaseDir: r42 }), failing('now'))).rejects.toThrow('disk full');
    // The error is emitted between two rows: waiting for a drain then would wait for ever.
    await expect(importCert(await prepareImport({ releaseDir: r42 }), failing('later'))).rejects.toThrow('disk full');
  });
});

async function release(name: string, files: Record<string, string>): Promise<string> {
  const dir = join(await tempFolder('cert-release'), name);
  await mkdir(dir);
  for (const [file, text] of Object.entries(files)) await writeFile(join(dir, file), text);
  return dir;
}

describe('a table written without a header row (r1’s http.csv)', () => {
  it('is read by the layout of its field count when its first line is a row', async () => {
    const dir = await release('r1', {
      'logon.csv': 'id,date,user,pc,activity\n{L1},01/04/2010 07:00:00,KLM0001,PC-0101,Logon\n',
      'http.csv':
        '{H1},01/04/2010 07:05:00,KLM0001,PC-0101,http://news.example.com/a\n' +
        '{H2},01/04/2010 07:06:00,KLM0001,PC-0101,https://mail.example.org/b\n',
    });

    const { events, summary } = await run({ releaseDir: dir });

    expect(events.filter((e) => e.kind === 'net_connect').map((e) => 'remoteAddress' in e && e.remoteAddress)).toEqual([
      'news.example.com',
      'mail.example.org',
    ]);
    expect(summary.tables.http).toEqual({ state: 'read', rows: 2, badRows: 0 });
  });

  it('is refused, named, when no layout has its number of fields', async () => {
    const dir = await release('r1', {
      'logon.csv': 'id,date,user,pc,activity\n',
      'http.csv': '{H1},01/04/2010 07:05:00,KLM0001,PC-0101,http://a.example/,x,y,z\n',
    });
    await expect(prepareImport({ releaseDir: dir })).rejects.toThrow(/http\.csv: no id, date, user, pc, url column/);
  });
});

describe('prepareImport refuses, before any output, an input it cannot use', () => {
  it('a missing folder or logon.csv', async () => {
    await expect(prepareImport({ releaseDir: join(fixtures, 'nope') })).rejects.toThrow(/nope: no such folder/);
    await expect(prepareImport({ releaseDir: fixtures })).rejects.toThrow(/logon\.csv: missing/);
  });

  it('a table without a column it needs, named', async () => {
    const dir = await release('r4.2', {
      'logon.csv': 'id,date,user,pc,activity\n',
      'http.csv': 'id,date,user,pc,address,content\n',
    });
    await expect(prepareImport({ releaseDir: dir })).rejects.toThrow(/http\.csv: no url column/);
  });

  it('answers without a dataset, when the folder name does not give one', async () => {
    const dir = await release('cert-release', { 'logon.csv': 'id,date,user,pc,activity\n' });
    await expect(prepareImport({ releaseDir: dir, answersDir })).rejects.toThrow(/--dataset is needed/);
    await expect(prepareImport({ releaseDir: dir, answersDir, dataset: 'r4.2' })).resolves.toMatchObject({
      answers: { dataset: '4.2', insiders: 1 },
    });
    await expect(prepareImport({ releaseDir: dir, answersDir: fixtures, dataset: '4.2' })).rejects.toThrow(
      /insiders\.csv: missing/,
    );
  });
});
