// File collector engines compared on the same load, in the same run: the earlier
// chokidar engine (baseline) against the per-folder fs.watch engine (default).
// Each engine runs the real FileCollector in its own child process; this process
// writes the files and measures the child from /proc (CPU, RSS), and matches
// every event the collector emitted to the write that caused it (latency, loss).
//
// Loads: "tree" — 100 folders of 100 files, 1,000 rewrites/s spread so that each
// file is rewritten once every 10 s (the case); "flat" — one folder of
// 10,000 files at the same rate (where fs.watch `recursive` collapsed).
//   npx tsx scripts/bench/file-watch.bench.ts            (10 s per run)
//   WW_BENCH_SECONDS=60 npx tsx scripts/bench/file-watch.bench.ts
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Event } from '@wardwatch/proto';
import { FileCollector } from '../../agent/src/collectors/files/file-collector';
import { createJsonLogger } from '../../agent/src/logging/logger';
import { paced } from './lib/paced';
import { mb, percentile, UsageRecorder } from './lib/proc-usage';

type Engine = 'chokidar' | 'native';
const FILES = 10_000;
const RATE = Number(process.env.WW_BENCH_RATE ?? 1_000);
const SECONDS = Number(process.env.WW_BENCH_SECONDS ?? 10);
/** Sizes repeat after this many writes, so a (path, size) pair names one write. */
const SIZE_CYCLE = 9_973;
const payload = Buffer.alloc(200 + SIZE_CYCLE, 'clinical note ');

function filePath(root: string, layout: 'tree' | 'flat', k: number): string {
  return layout === 'tree' ? join(root, `ward-${Math.floor(k / 100)}`, `f${k % 100}.txt`) : join(root, `f${k}.txt`);
}

// ---- child: one engine, prints "ready", then one line per event, "done" on stdin close
async function child(engine: Engine, root: string): Promise<void> {
  const collector = new FileCollector({
    folders: [{ path: root, class: 'phi' }],
    engine,
    logger: createJsonLogger({ level: 'error', write: (l) => process.stderr.write(`${l}\n`) }),
  });
  const lines: string[] = [];
  await collector.start({
    emit: (event: Event) => {
      if (event.detail?.$case === 'file')
        lines.push(
          `${event.detail.value.action}\t${event.detail.value.path}\t${event.detail.value.sizeBytes}\t${Date.now()}`,
        );
    },
    parseError: () => {},
  });
  process.stdout.write('ready\n');
  setInterval(() => {
    if (lines.length > 0) process.stdout.write(`${lines.splice(0).join('\n')}\n`);
  }, 200);
  process.stdin.resume();
  process.stdin.on('end', () => {
    void collector.stop().then(() => {
      if (lines.length > 0) process.stdout.write(`${lines.splice(0).join('\n')}\n`);
      process.exit(0);
    });
  });
}

interface RunResult {
  engine: Engine;
  layout: 'tree' | 'flat';
  written: number;
  events: number;
  lost: number;
  cpuPercent: number;
  drainedAfterMs: number;
  p50: number;
  p99: number;
  peakRssBytes: number;
}

async function runOne(engine: Engine, layout: 'tree' | 'flat'): Promise<RunResult> {
  const root = mkdtempSync(join(tmpdir(), `ww-fw-${layout}-`));
  for (let k = 0; k < FILES; k++) {
    const path = filePath(root, layout, k);
    if (k % 100 === 0) mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, payload.subarray(0, 100));
  }
  const proc = spawn(
    process.execPath,
    [
      ...(process.env.WW_CHILD_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
      '--import',
      'tsx',
      __filename,
      '--child',
      engine,
      root,
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const seen = new Map<string, number>(); // "path\tsize" → time the collector emitted it
  let events = 0;
  let lastEventAt = 0;
  const ready = new Promise<void>((resolve) => {
    createInterface({ input: proc.stdout }).on('line', (line) => {
      if (line === 'ready') return resolve();
      const [action, path, size, at] = line.split('\t');
      if (action !== 'write' && action !== 'create') return;
      events += 1;
      lastEventAt = performance.now();
      const key = `${path}\t${size}`;
      if (!seen.has(key)) seen.set(key, Number(at));
    });
  });
  await ready;
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const usage = new UsageRecorder(proc.pid!, 250);
  usage.start();
  const writes: { key: string; at: number }[] = [];
  const written = await paced(RATE, SECONDS, (i) => {
    const path = filePath(root, layout, (i * 7_919) % FILES); // spread over folders, each file once per FILES writes
    const size = 200 + (i % SIZE_CYCLE);
    writeFileSync(path, payload.subarray(0, size));
    writes.push({ key: `${path}\t${size}`, at: Date.now() });
  });
  const loadEnd = performance.now();
  // Drain: until every write is matched, or nothing new for 3 s.
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const matched = writes.every((w) => seen.has(w.key));
    if (matched || performance.now() - Math.max(lastEventAt, loadEnd) > 3_000) break;
  }
  const drainedAfterMs = Math.max(0, lastEventAt - loadEnd);
  const used = usage.stop();
  proc.stdin.end();
  await new Promise((resolve) => proc.once('exit', resolve));
  rmSync(root, { recursive: true, force: true });
  const latencies: number[] = [];
  let lost = 0;
  for (const w of writes) {
    const at = seen.get(w.key);
    if (at === undefined) lost += 1;
    else latencies.push(at - w.at);
  }
  // CPU per second of load: everything the collector spent (load + drain) over the load's length.
  return {
    engine,
    layout,
    written,
    events,
    lost,
    cpuPercent: (used.cpuSeconds / SECONDS) * 100,
    drainedAfterMs,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    peakRssBytes: used.peakRssBytes,
  };
}

async function main(): Promise<void> {
  if (process.argv[2] === '--child') return child(process.argv[3] as Engine, process.argv[4]);
  console.log(
    `file collector engines: ${FILES.toLocaleString('en-US')} files, ${RATE} rewrites/s for ${SECONDS} s, node ${process.version}\n`,
  );
  const results: RunResult[] = [];
  const engines = (process.env.WW_BENCH_ENGINES?.split(',') ?? ['chokidar', 'native']) as Engine[];
  const layouts = (process.env.WW_BENCH_LAYOUTS?.split(',') ?? ['tree', 'flat']) as ('tree' | 'flat')[];
  for (const layout of layouts) {
    for (const engine of engines) results.push(await runOne(engine, layout));
  }
  const head = [
    'layout',
    'engine',
    'written',
    'events',
    'lost',
    'cpu % core',
    'p50 ms',
    'p99 ms',
    'drain ms',
    'peak RSS MB',
  ];
  console.log(head.map((h) => h.padStart(12)).join(''));
  for (const r of results) {
    const row = [
      r.layout === 'tree' ? '100×100' : '1×10,000',
      r.engine,
      r.written,
      r.events,
      r.lost,
      r.cpuPercent.toFixed(1),
      r.p50.toFixed(0),
      r.p99.toFixed(0),
      r.drainedAfterMs.toFixed(0),
      mb(r.peakRssBytes),
    ];
    console.log(row.map((c) => String(c).padStart(12)).join(''));
  }
  for (const layout of ['tree', 'flat'] as const) {
    const [base, next] = [
      results.find((r) => r.layout === layout && r.engine === 'chokidar'),
      results.find((r) => r.layout === layout && r.engine === 'native'),
    ];
    if (!base || !next) continue;
    console.log(
      `\n${layout}: native uses ${(base.cpuPercent / next.cpuPercent).toFixed(1)}x less CPU than chokidar; p99 ${base.p99.toFixed(0)} → ${next.p99.toFixed(0)} ms; lost ${base.lost} → ${next.lost}`,
    );
  }
}

void main();
