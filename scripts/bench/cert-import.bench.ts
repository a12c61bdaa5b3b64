// CERT import throughput: a synthetic release in the CERT layout (logons, thumb
// drives, file copies and a web log, the big table of a real release) imported to
// portable NDJSON on disk, against a baseline that reads the same files line by
// line and writes each line back, so the ratio says what parsing, mapping and
// checking each row against the schema cost. Peak RSS shows that memory stays flat.
// Run: npx tsx scripts/bench/cert-import.bench.ts [web rows (1,000,000)]
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { importCert, prepareImport } from '../import/cert-insider/run-import';

const webRows = Number(process.argv[2] ?? 1_000_000);
const USERS = 1_000;
const DAY = 86_400_000;
const START = Date.UTC(2010, 0, 4);

const pad = (n: number) => String(n).padStart(2, '0');
function certDate(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}/${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}
const user = (i: number) => `U${String(i % USERS).padStart(4, '0')}`;
const pc = (i: number) => `PC-${1000 + (i % USERS)}`;
const id = (table: string, i: number) => `{${table.toUpperCase()}-${i.toString(36).toUpperCase().padStart(8, '0')}}`;

/** Writes `count` rows of one table, spread over 19 days, with back-pressure. */
async function table(path: string, header: string, count: number, row: (i: number, time: string) => string) {
  const out = createWriteStream(path);
  out.write(`${header}\n`);
  for (let i = 0; i < count; i += 1) {
    const time = certDate(START + Math.floor((i / count) * 19 * DAY) + (i % 3_600) * 1000);
    if (!out.write(`${row(i, time)}\n`)) await once(out, 'drain');
  }
  out.end();
  await finished(out);
}

async function rss<T>(work: () => Promise<T>): Promise<{ result: T; seconds: number; peakMb: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const started = performance.now();
  const result = await work();
  const seconds = (performance.now() - started) / 1000;
  clearInterval(timer);
  return { result, seconds, peakMb: Math.max(peak, process.memoryUsage().rss) / 2 ** 20 };
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'ww-bench-cert-'));
  try {
    const logons = Math.round(webRows / 10);
    await table(join(dir, 'logon.csv'), 'id,date,user,pc,activity', logons, (i, t) =>
      [id('l', i), t, user(i), pc(i), i % 2 ? 'Logoff' : 'Logon'].join(','),
    );
    await table(join(dir, 'device.csv'), 'id,date,user,pc,activity', Math.round(webRows / 50), (i, t) =>
      [id('d', i), t, user(i), pc(i), i % 2 ? 'Disconnect' : 'Connect'].join(','),
    );
    await table(join(dir, 'file.csv'), 'id,date,user,pc,filename,content', Math.round(webRows / 20), (i, t) =>
      [id('f', i), t, user(i), pc(i), `R${i}.doc`, 'D0-CF-11-E0 quarterly budget review notes'].join(','),
    );
    await table(join(dir, 'http.csv'), 'id,date,user,pc,url,content', webRows, (i, t) =>
      [id('h', i), t, user(i), pc(i), `http://site${i % 5_000}.example.com/page/${i % 97}`, 'news sport'].join(','),
    );
    const files = ['logon', 'device', 'file', 'http'].map((t) => join(dir, `${t}.csv`));
    let bytes = 0;
    for (const f of files) bytes += (await stat(f)).size;
    const rows = logons + Math.round(webRows / 50) + Math.round(webRows / 20) + webRows;

    // Baseline: every line read and written back, nothing parsed.
    const base = await rss(async () => {
      const out = createWriteStream(join(dir, 'baseline.out'));
      for (const f of files)
        for await (const line of createInterface({ input: createReadStream(f), crlfDelay: Infinity }))
          if (!out.write(`${line}\n`)) await once(out, 'drain');
      out.end();
      await finished(out);
    });
    const imported = await rss(async () => {
      const out = createWriteStream(join(dir, 'events.ndjson'));
      const summary = await importCert(await prepareImport({ releaseDir: dir }), out);
      out.end();
      await finished(out);
      return summary;
    });
    const written = [...imported.result.written.values()].reduce((a, b) => a + b, 0);
    console.log(
      `CERT import bench: ${rows.toLocaleString('en')} rows, ${(bytes / 2 ** 20).toFixed(0)} MB of CSV (${webRows.toLocaleString('en')} web rows); load average ${loadavg()[0].toFixed(2)}`,
    );
    console.log(
      `  baseline (read + write each line): ${base.seconds.toFixed(1)} s, ${Math.round(rows / base.seconds).toLocaleString('en')} rows/s, peak RSS ${base.peakMb.toFixed(0)} MB`,
    );
    console.log(
      `  import (parse, map, check, write): ${imported.seconds.toFixed(1)} s, ${Math.round(rows / imported.seconds).toLocaleString('en')} rows/s, peak RSS ${imported.peakMb.toFixed(0)} MB; ${written.toLocaleString('en')} events written`,
    );
    console.log(`  import / baseline time: ${(imported.seconds / base.seconds).toFixed(1)}×`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

void main();
