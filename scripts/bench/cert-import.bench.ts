// CERT import throughput: a synthetic release in the CERT layout
// (`synthetic-release.ts`: 1,000 staff over 19 days, logons, thumb drives, file
// copies and a web log, the big table of a real release) imported to portable
// NDJSON on disk, against a baseline that reads the same files line by line and
// writes each line back, so the ratio says what parsing, mapping and checking each
// row against the schema cost. Peak RSS shows that memory stays flat.
// Run: npx tsx scripts/bench/cert-import.bench.ts [web rows per person and working day (70)]
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { importCert, prepareImport } from '../import/cert-insider/run-import';
import { writeSyntheticRelease } from '../import/cert-insider/synthetic-release';

const webPerDay = Number(process.argv[2] ?? 70);

async function measured<T>(work: () => Promise<T>): Promise<{ result: T; seconds: number; peakMb: number }> {
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
    const rows = await writeSyntheticRelease(dir, { users: 1_000, days: 19, webPerDay, usbEvery: 10 });
    const files = ['logon', 'device', 'file', 'http'].map((t) => join(dir, `${t}.csv`));
    let bytes = 0;
    for (const f of files) bytes += (await stat(f)).size;

    // Baseline: every line read and written back, nothing parsed.
    const base = await measured(async () => {
      const out = createWriteStream(join(dir, 'baseline.out'));
      for (const f of files)
        for await (const line of createInterface({ input: createReadStream(f), crlfDelay: Infinity }))
          if (!out.write(`${line}\n`)) await once(out, 'drain');
      out.end();
      await finished(out);
    });
    const imported = await measured(async () => {
      const out = createWriteStream(join(dir, 'events.ndjson'));
      const summary = await importCert(await prepareImport({ releaseDir: dir }), out);
      out.end();
      await finished(out);
      return summary;
    });
    const written = [...imported.result.written.values()].reduce((a, b) => a + b, 0);
    const rate = (seconds: number) => Math.round(rows / seconds).toLocaleString('en');
    console.log(
      `CERT import bench: ${rows.toLocaleString('en')} rows, ${(bytes / 2 ** 20).toFixed(0)} MB of CSV (1,000 staff, 19 days, ${webPerDay} web rows a working day); load average ${loadavg()[0].toFixed(2)}`,
    );
    console.log(
      `  baseline (read + write each line): ${base.seconds.toFixed(1)} s, ${rate(base.seconds)} rows/s, peak RSS ${base.peakMb.toFixed(0)} MB`,
    );
    console.log(
      `  import (parse, map, check, write): ${imported.seconds.toFixed(1)} s, ${rate(imported.seconds)} rows/s, peak RSS ${imported.peakMb.toFixed(0)} MB; ${written.toLocaleString('en')} events written`,
    );
    console.log(`  import / baseline time: ${(imported.seconds / base.seconds).toFixed(1)}×`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

void main();
