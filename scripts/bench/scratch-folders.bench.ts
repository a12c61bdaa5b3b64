// What a shared scratch folder filled by a hostile local user costs the agent (issue #10's live
// agent; agent/README.md, *Copies of patient files*). `/tmp` is writable by every account on a
// workstation, and the file collector watches it (one level down) for patient data arriving.
// One child process per variant runs a FileCollector over a `phi` folder and a scratch folder:
//  - ordinary: the scratch folder holds 1,000 files (what a day leaves in /tmp);
//  - filled:   it holds WW_BENCH_FILES (200,000) files, made before the agent starts.
// Printed: the collector's start (until the scratch folder is watched), its peak RSS (VmHWM) and
// heap after GC, and a chart copied into the scratch folder afterwards: reported or not.
//   npx tsx scripts/bench/scratch-folders.bench.ts
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { FileCollector } from '../../agent/src/collectors/files/file-collector';
import { findScratchFolders } from '../../agent/src/collectors/files/scratch-folders';
import { createMemoryLogger } from '../../agent/src/logging/logger';
import { mb, procUsage } from './lib/proc-usage';

const FILLED = Number(process.env.WW_BENCH_FILES ?? 200_000);
const VARIANTS = { ordinary: 1_000, filled: FILLED };
type Variant = keyof typeof VARIANTS;

// ---- child: prints its start time once watching, then whether the copy was reported
async function child(phi: string, scratch: string): Promise<void> {
  const collector = new FileCollector({
    folders: [{ path: phi, class: 'phi' }],
    logger: createMemoryLogger(),
    discoverFolders: () => findScratchFolders([scratch], 1),
    discoverMs: 3_600_000,
  });
  const copies: string[] = [];
  const start = process.hrtime.bigint();
  await collector.start({
    emit: (event) => {
      if (event.detail?.$case === 'file' && event.detail.value.action === 'copy') copies.push(event.detail.value.path);
    },
    parseError: () => undefined,
  });
  const startMs = Number(process.hrtime.bigint() - start) / 1e6;
  (globalThis as { gc?: () => void }).gc?.();
  process.stdout.write(`${JSON.stringify({ startMs, heapBytes: process.memoryUsage().heapUsed })}\n`);
  const deadline = Date.now() + 5_000;
  while (copies.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  process.stdout.write(`${JSON.stringify({ copies: copies.length })}\n`);
  await collector.stop();
  process.exit(0);
}

async function run(phi: string, scratch: string) {
  const proc = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', __filename, '--child', phi, scratch], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: proc.stdout })[Symbol.asyncIterator]();
  const started = JSON.parse((await lines.next()).value as string) as { startMs: number; heapBytes: number };
  const usage = procUsage(proc.pid!);
  copyFileSync(join(phi, 'chart-1.pdf'), join(scratch, 'staged.pdf'));
  const { copies } = JSON.parse((await lines.next()).value as string) as { copies: number };
  await new Promise((resolve) => proc.once('exit', resolve));
  return { ...started, peak: usage.peakRssBytes, copies };
}

async function main(): Promise<void> {
  if (process.argv[2] === '--child') return child(process.argv[3], process.argv[4]);
  const root = mkdtempSync(join(tmpdir(), 'ww-scratch-bench-'));
  try {
    const phi = join(root, 'phi');
    mkdirSync(phi);
    writeFileSync(join(phi, 'chart-1.pdf'), Buffer.alloc(20_000, 7));
    const results: Partial<Record<Variant, Awaited<ReturnType<typeof run>>>> = {};
    for (const [variant, files] of Object.entries(VARIANTS) as [Variant, number][]) {
      const scratch = join(root, variant);
      mkdirSync(scratch);
      for (let i = 0; i < files; i++) writeFileSync(join(scratch, `junk-${i}`), '');
      const r = await run(phi, scratch);
      results[variant] = r;
      console.log(
        `${variant.padEnd(9)} ${String(files).padStart(7)} files  start ${r.startMs.toFixed(0)} ms  peak RSS ${mb(r.peak)} MB  heap ${mb(r.heapBytes)} MB  chart copied in afterwards reported: ${r.copies > 0 ? 'yes' : 'no'}`,
      );
    }
    const [a, b] = [results.ordinary!, results.filled!];
    console.log(
      `filled / ordinary: start ×${(b.startMs / a.startMs).toFixed(2)}, peak RSS ×${(b.peak / a.peak).toFixed(2)}, heap ×${(b.heapBytes / a.heapBytes).toFixed(2)}`,
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

void main();
