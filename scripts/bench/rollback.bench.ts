// Ransomware rollback (issue #9, item 6), the agent's version store on real files:
//
// 1. Restore: WW_FILES (300) files of WW_FILE_KB (32) KiB in a protected folder, copied by the
//    store at discovery; a real child process (the locker fixture beside the store) encrypts a
//    third in place, renames a third to `.locked` copies and deletes a third; then a restore to
//    the attack's start. Printed per run: restore time, files restored of files changed, new
//    files removed, every byte checked — beside a raw copy of the same files from a plain backup
//    folder (copyFile each), in the same run. WW_RUNS (5) runs.
// 2. CPU: a writer changes a file WW_RATE (100) times a second for WW_SECONDS (10) s; CPU
//    seconds per wall second (process.cpuUsage) of the writer alone, of the writer with the
//    version store copying every change (quiet period cut to 200 ms so that each change is
//    copied: the worst case; the shipped 10 min copies far fewer), and of the writer with a raw
//    copyFile of each changed file. The store's cost is its row less the writer's.
//   npm run bench:rollback
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { FileCollector } from '../../agent/src/collectors/files/file-collector';
import { RecordingSink } from '../../agent/src/collectors/collector-test-sink.fixture';
import { restoreFiles } from '../../agent/src/protection/versions/file-restorer';
import { NodeProtectedFiles } from '../../agent/src/protection/versions/protected-files';
import { VERSION_KEY_FILE, VersionCipher } from '../../agent/src/protection/versions/version-cipher';
import { DiskVersionFiles } from '../../agent/src/protection/versions/version-files';
import { VersionSink } from '../../agent/src/protection/versions/version-sink';
import { VersionStore } from '../../agent/src/protection/versions/version-store';
import { VersionWatcher } from '../../agent/src/protection/versions/version-watcher';
import { quietLogger } from '../../agent/src/protection/versions/version-store.fixture';
import { paced } from './lib/paced';

const FILES = Number(process.env.WW_FILES ?? 300);
const FILE_BYTES = Number(process.env.WW_FILE_KB ?? 32) * 1_024;
const RUNS = Number(process.env.WW_RUNS ?? 5);
const RATE = Number(process.env.WW_RATE ?? 100);
const SECONDS = Number(process.env.WW_SECONDS ?? 10);
const LOCKER = join(__dirname, '../../agent/src/protection/versions/locker-child.fixture.mjs');
const run = promisify(execFile);
const root = mkdtempSync(join(process.env.WW_BENCH_DIR ?? tmpdir(), 'ww-rollback-bench-'));
const files = new NodeProtectedFiles();
const logger = quietLogger();

async function openStore(dataDir: string): Promise<VersionStore> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  return VersionStore.open({
    files: new DiskVersionFiles(join(dataDir, 'versions')),
    cipher: VersionCipher.fromKeyFile(join(dataDir, VERSION_KEY_FILE)),
    budgetBytes: 2 * 1_073_741_824,
    maxFileBytes: 64 * 1_048_576,
    logger,
  });
}

async function restoreRun(i: number): Promise<string> {
  const dir = join(root, `restore-${i}`);
  const folder = join(dir, 'phi');
  const backup = join(dir, 'backup');
  mkdirSync(folder, { recursive: true });
  mkdirSync(backup);
  const originals = new Map<string, Buffer>();
  for (let f = 0; f < FILES; f++) {
    const name = `chart-${String(f).padStart(4, '0')}.pdf`;
    const content = randomBytes(FILE_BYTES);
    writeFileSync(join(folder, name), content);
    writeFileSync(join(backup, name), content);
    originals.set(name, content);
  }
  const store = await openStore(join(dir, 'data'));
  const watcher = new VersionWatcher({ store, files, folders: [folder], quietMs: 600_000, logger });
  const collector = new FileCollector({ folders: [{ path: folder, class: 'phi' }], logger });
  await collector.start(new VersionSink(new RecordingSink(), watcher));
  const discoveryStart = performance.now();
  watcher.start();
  while (store.stats().versions < FILES) await new Promise((resolve) => setTimeout(resolve, 5));
  const discoveryMs = performance.now() - discoveryStart;

  await new Promise((resolve) => setTimeout(resolve, 10)); // the attack starts after the last copy
  const since = Date.now();
  await run(process.execPath, [LOCKER, '--folder', folder]);
  await new Promise((resolve) => setTimeout(resolve, 500)); // the collector's settle and rename window
  const started = performance.now();
  const report = await watcher.exclusive(() =>
    restoreFiles(
      { folders: [folder], since, removeCreatedExtensions: ['.locked'], dryRun: false },
      { store, files, createdAt: (p) => watcher.createdAt(p), maxFileBytes: 64 * 1_048_576 },
    ),
  );
  const restoreMs = performance.now() - started;
  await collector.stop();
  await watcher.stop();
  const names = readdirSync(folder).sort();
  const exact =
    names.length === originals.size && names.every((n) => readFileSync(join(folder, n)).equals(originals.get(n)!));

  // Baseline: the same files put back from a plain backup folder, one copyFile each.
  const rawStart = performance.now();
  for (const name of originals.keys()) copyFileSync(join(backup, name), join(folder, name));
  const rawMs = performance.now() - rawStart;
  rmSync(dir, { recursive: true, force: true });
  return (
    `| ${i + 1} | ${restoreMs.toFixed(0)} ms | ${report.restored} / ${report.changed} | ${report.removed} | ` +
    `${exact ? 'yes' : 'NO'} | ${rawMs.toFixed(0)} ms | ${discoveryMs.toFixed(0)} ms |`
  );
}

type Mode = 'writer' | 'store' | 'raw copy';

async function cpuRun(mode: Mode): Promise<string> {
  const dir = join(root, `cpu-${mode.replace(' ', '-')}`);
  const folder = join(dir, 'phi');
  const copies = join(dir, 'copies');
  mkdirSync(folder, { recursive: true });
  mkdirSync(copies);
  const paths = Array.from({ length: 1_000 }, (_, f) => join(folder, `note-${f}.txt`));
  for (const path of paths) writeFileSync(path, randomBytes(FILE_BYTES));
  let store: VersionStore | null = null;
  let watcher: VersionWatcher | null = null;
  if (mode === 'store') {
    store = await openStore(join(dir, 'data'));
    watcher = new VersionWatcher({ store, files, folders: [folder], quietMs: 200, sweepMs: 100, logger });
    watcher.start();
    while (store.stats().versions < paths.length) await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const content = randomBytes(FILE_BYTES);
  const cpu = process.cpuUsage();
  const wallStart = performance.now();
  await paced(RATE, SECONDS, (n) => {
    const path = paths[n % paths.length];
    content.writeUInt32LE(n, 0); // new content each time: no dedupe
    writeFileSync(path, content);
    if (watcher) watcher.observe('write', path);
    if (mode === 'raw copy') copyFileSync(path, join(copies, `${n % paths.length}`));
  });
  if (watcher) {
    await new Promise((resolve) => setTimeout(resolve, 400)); // the last changes' quiet period
    await watcher.idle();
  }
  const used = process.cpuUsage(cpu);
  const wallS = (performance.now() - wallStart) / 1_000;
  const cpuS = (used.user + used.system) / 1e6;
  const extra = store
    ? `copies ${store.stats().stored}, store ${(store.stats().bytes / 1_048_576).toFixed(0)} MiB`
    : '';
  await watcher?.stop();
  rmSync(dir, { recursive: true, force: true });
  return `| ${mode} | ${(cpuS / wallS).toFixed(3)} | ${cpuS.toFixed(2)} s / ${wallS.toFixed(1)} s | ${extra} |`;
}

async function main(): Promise<void> {
  console.log(
    `rollback bench: ${FILES} files of ${FILE_BYTES / 1_024} KiB, ${RUNS} runs; load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  console.log(
    '\n| run | restore | restored / changed | .locked removed | every byte back | raw copyFile of the same files | discovery copy |',
  );
  console.log('|---|---|---|---|---|---|---|');
  for (let i = 0; i < RUNS; i++) console.log(await restoreRun(i));
  console.log(`\nCPU at ${RATE} file changes/s for ${SECONDS} s (${FILE_BYTES / 1_024} KiB each):`);
  console.log('| variant | CPU s per wall s | CPU / wall | |');
  console.log('|---|---|---|---|');
  const rows: string[] = [];
  for (const mode of ['writer', 'store', 'raw copy'] as const) rows.push(await cpuRun(mode));
  for (const row of rows) console.log(row);
  console.log(
    `load average after: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => rmSync(root, { recursive: true, force: true }));
