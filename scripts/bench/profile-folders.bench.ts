// What watching the profiles' save folders (Desktop, Documents, Downloads and the profile's top,
// `watch.saveFolders`) costs the file collector on a shared workstation, against watching the
// synced folders only (the baseline: what the agent watched in the profiles before), same tree,
// same run:
//  - one discovery round (the profiles are looked through every `discoverSeconds`);
//  - starting: the real FileCollector in its own child process, a patient folder and what the
//    discovery finds; time to start, the OS watches it holds (inotify, from /proc), its heap after
//    a full GC and its RSS;
//  - staff's own files arriving in their save folders (downloads, saved letters, none a chart):
//    the child's CPU per file, measured from /proc, while this process writes them.
// The tree: PROFILES profiles, each with a few files at its top, a Desktop of 20 files, a Documents
// tree four levels deep (3 folders a level, 3 files each), a Downloads of 40 files, and a OneDrive
// of 10 files in every third profile.
//   npx tsx scripts/bench/profile-folders.bench.ts
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { FileCollector } from '../../agent/src/collectors/files/file-collector';
import { findProfileFolders, type ProfileFolderKinds } from '../../agent/src/collectors/files/profile-folders';
import { createMemoryLogger } from '../../agent/src/logging/logger';
import { mb, procUsage } from './lib/proc-usage';

const PROFILES = Number(process.env.WW_BENCH_PROFILES ?? 100);
const ARRIVING = 2_000;
const KINDS: Record<'sync only' | 'save folders', ProfileFolderKinds> = {
  'sync only': { sync: true, saveFolders: [], saveDepth: 2, profileTop: false },
  'save folders': { sync: true, saveFolders: ['Desktop', 'Documents', 'Downloads'], saveDepth: 2, profileTop: true },
};
type Variant = keyof typeof KINDS;
const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function files(dir: string, count: number, prefix: string): void {
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < count; i++) writeFileSync(join(dir, `${prefix}${i}.txt`), `note ${i}`);
}

function build(root: string): { phi: string; home: string } {
  const [phi, home] = [join(root, 'phi'), join(root, 'home')];
  files(join(phi, 'icu'), 50, 'chart-');
  for (let p = 0; p < PROFILES; p++) {
    const profile = join(home, `user${p}`);
    files(profile, 6, '.dotfile-');
    files(join(profile, 'Desktop'), 20, 'd');
    files(join(profile, 'Downloads'), 40, 'dl');
    const documents = (dir: string, level: number): void => {
      files(dir, 3, 'doc');
      if (level < 4) for (let i = 0; i < 3; i++) documents(join(dir, `f${i}`), level + 1);
    };
    documents(join(profile, 'Documents'), 0);
    if (p % 3 === 0) files(join(profile, 'OneDrive'), 10, 'o');
  }
  return { phi, home };
}

/** inotify watches the process holds, counted from its file descriptors' info. */
function inotifyWatches(pid: number): number {
  let watches = 0;
  for (const fd of readdirSync(`/proc/${pid}/fdinfo`)) {
    const info = readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8');
    watches += info.split('\n').filter((line) => line.startsWith('inotify wd:')).length;
  }
  return watches;
}

// ---- child: one variant; prints its start time once watching, exits when stdin closes
async function child(variant: Variant, phi: string, home: string): Promise<void> {
  const collector = new FileCollector({
    folders: [{ path: phi, class: 'phi' }],
    logger: createMemoryLogger(),
    discoverFolders: () => findProfileFolders([home], KINDS[variant]),
    discoverMs: 3_600_000,
  });
  let reported = 0;
  const start = process.hrtime.bigint();
  await collector.start({ emit: () => void reported++, parseError: () => undefined });
  const startMs = ms(start);
  await new Promise((resolve) => setTimeout(resolve, 300)); // the second look of folders just watched
  (globalThis as { gc?: () => void }).gc?.();
  process.stdout.write(`${JSON.stringify({ startMs, heapBytes: process.memoryUsage().heapUsed })}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => {
    process.stdout.write(`${JSON.stringify({ reported })}\n`);
    void collector.stop().then(() => process.exit(0));
  });
}

async function run(variant: Variant, phi: string, home: string, round: number) {
  const proc = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', __filename, '--child', variant, phi, home], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: proc.stdout })[Symbol.asyncIterator]();
  const started = JSON.parse((await lines.next()).value as string) as { startMs: number; heapBytes: number };
  await new Promise((resolve) => setTimeout(resolve, 500));
  const atStart = procUsage(proc.pid!);
  const watches = inotifyWatches(proc.pid!);
  // Staff's own files arriving in their Downloads and Desktops, 100 at a time, then quiet.
  for (let i = 0; i < ARRIVING; i++) {
    const profile = join(home, `user${i % PROFILES}`);
    writeFileSync(join(profile, i % 2 ? 'Downloads' : 'Desktop', `new-${round}-${i}.pdf`), `letter ${i}`);
    if (i % 100 === 99) await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  const after = procUsage(proc.pid!);
  proc.stdin.end();
  const { reported } = JSON.parse((await lines.next()).value as string) as { reported: number };
  await new Promise((resolve) => proc.once('exit', resolve));
  return {
    startMs: started.startMs,
    heap: started.heapBytes,
    watches,
    rss: atStart.rssBytes,
    cpuPerFileUs: ((after.cpuSeconds - atStart.cpuSeconds) / ARRIVING) * 1e6,
    reported,
  };
}

async function main(): Promise<void> {
  if (process.argv[2] === '--child') return child(process.argv[3] as Variant, process.argv[4], process.argv[5]);
  const root = mkdtempSync(join(tmpdir(), 'ww-profiles-bench-'));
  try {
    const { phi, home } = build(root);
    console.log(`${PROFILES} profiles; median of 5 discovery rounds, one start per variant`);
    for (const [round, variant] of (['sync only', 'save folders'] as const).entries()) {
      const rounds: number[] = [];
      let found = 0;
      for (let i = 0; i < 5; i++) {
        const start = process.hrtime.bigint();
        found = (await findProfileFolders([home], KINDS[variant])).length;
        rounds.push(ms(start));
      }
      const r = await run(variant, phi, home, round);
      console.log(
        `${variant.padEnd(13)} discovery ${median(rounds).toFixed(1)} ms (${found} folders)  start ${r.startMs.toFixed(0)} ms  ` +
          `${r.watches} watches  heap ${mb(r.heap)} MB  RSS ${mb(r.rss)} MB  staff file arriving ${r.cpuPerFileUs.toFixed(1)} µs CPU  reported ${r.reported}`,
      );
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

void main();
