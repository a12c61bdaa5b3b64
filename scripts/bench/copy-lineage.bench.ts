// What looking for a copy's source costs the file collector: the patient files a workstation
// knows (100,000 names in 10,000 folders, as found by the scan at start), then lookups of names
// that no patient file has (most new files) and of names one has (a chart copied out), and of
// sizes (a copy saved under another name). The name index of KnownFiles against the scan of every
// folder it rules out, in the same run; the heap the name index and the sizes add (each layout
// built in its own child process, after a full GC); and what taking the sizes adds to the scan at
// start of a real folder tree (the native watcher, with and without `sizesUnder`, in turn).
//   npx tsx scripts/bench/copy-lineage.bench.ts
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KnownFiles } from '../../agent/src/collectors/files/known-files';
import { NativeWatchSource } from '../../agent/src/collectors/files/native-watch-source';

const FOLDERS = 10_000;
const PER_FOLDER = 10;
const LOOKUPS = 2_000;
const name = (d: number, i: number) => `chart-${String(d).padStart(6, '0')}-${i}.pdf`;
/** Charts of 20 KB to 5 MB, spread as a hash would: ~2 % of the sizes in that range are taken. */
const sizeOf = (d: number, i: number) => 20_000 + ((d * 7_919 + i * 104_729) % 4_980_000);

type Layout = 'names' | 'index' | 'sizes';

function build(layout: Layout): KnownFiles {
  const known = new KnownFiles();
  for (let d = 0; d < FOLDERS; d++) {
    const dir = `/srv/phi/unit${d % 20}/patient${d}`;
    for (let i = 0; i < PER_FOLDER; i++) known.scanned(dir, name(d, i), layout === 'sizes' ? sizeOf(d, i) : NaN);
    known.sealScan(dir);
  }
  return known;
}

/** Kept alive while the heap is measured. */
let held: KnownFiles | undefined;

/** Heap held by the built KnownFiles, in MB; for `names` its (private) name index is emptied. */
function heapMb(layout: Layout): number {
  const gc = (globalThis as { gc?: () => void }).gc!;
  gc();
  const before = process.memoryUsage().heapUsed;
  held = build(layout);
  if (layout === 'names') (held as unknown as { nameHashes: { map: Map<number, number> } }).nameHashes.map.clear();
  gc();
  return (process.memoryUsage().heapUsed - before) / 1_048_576;
}

/** Milliseconds the native watcher's start takes on a real tree of `folders` × `perFolder` files. */
async function scanMs(root: string, sizes: boolean): Promise<number> {
  const source = new NativeWatchSource({
    settleMs: 50,
    isLocal: () => true,
    sizesUnder: sizes ? () => true : undefined,
  });
  const start = process.hrtime.bigint();
  await source.start([root], { add() {}, change() {}, unlink() {}, error() {} });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  await source.close();
  return ms;
}

async function main(): Promise<void> {
  const known = build('sizes');
  const micros = <T>(keys: T[], find: (key: T) => unknown[]) => {
    const start = process.hrtime.bigint();
    let found = 0;
    for (const key of keys) found += find(key).length;
    return { us: Number(process.hrtime.bigint() - start) / 1_000 / keys.length, found };
  };
  const scanAll = (n: string) => {
    const found: string[] = [];
    // The baseline: every folder asked, as without the index.
    for (const dir of (known as unknown as { folders: Map<string, unknown> }).folders.keys())
      if (known.get(dir, n) !== undefined) found.push(dir);
    return found;
  };
  const absent = Array.from({ length: LOOKUPS }, (_, i) => `scan-${i}.jpg`);
  const present = Array.from({ length: LOOKUPS / 20 }, (_, i) => name(i * 37, i % PER_FOLDER));
  const indexAbsent = micros(absent, (n) => known.foldersWith(n));
  const scanAbsent = micros(absent.slice(0, LOOKUPS / 20), scanAll);
  const indexPresent = micros(present, (n) => known.foldersWith(n));
  const anyFolder = () => true;
  // Sizes of new files (most taken by no chart) and of charts (a renamed copy).
  const newSizes = Array.from({ length: LOOKUPS }, (_, i) => 20_000 + ((i * 2_654_435_761) % 4_980_000));
  const chartSizes = Array.from({ length: LOOKUPS / 20 }, (_, i) => sizeOf(i * 37, i % PER_FOLDER));
  const bySizeNew = micros(newSizes, (s) => known.filesOfSize(s, anyFolder, 8));
  const bySizeChart = micros(chartSizes, (s) => known.filesOfSize(s, anyFolder, 8));
  const child = (layout: Layout) =>
    Number(execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', __filename, 'heap', layout]).toString());
  const [names, index, sizes] = [child('names'), child('index'), child('sizes')];

  const root = mkdtempSync(join(tmpdir(), 'ww-copy-lineage-bench-'));
  const [treeFolders, treePerFolder] = [2_000, 10];
  for (let d = 0; d < treeFolders; d++) {
    const dir = join(root, `unit${d % 20}`, `patient${d}`);
    mkdirSync(dir, { recursive: true });
    for (let i = 0; i < treePerFolder; i++) writeFileSync(join(dir, name(d, i)), 'x'.repeat(1 + (i % 7)));
  }
  const runs: Record<'without' | 'with', number[]> = { without: [], with: [] };
  for (let r = 0; r < 3; r++) {
    runs.without.push(await scanMs(root, false));
    runs.with.push(await scanMs(root, true));
  }
  rmSync(root, { recursive: true, force: true });
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1];

  console.log(
    `copy lineage: ${FOLDERS * PER_FOLDER} patient files known in ${FOLDERS} folders, node ${process.version}`,
  );
  console.log(
    `  a name no patient file has: ${indexAbsent.us.toFixed(2)} µs with the name index, ${scanAbsent.us.toFixed(0)} µs asking every folder (baseline) → ${(scanAbsent.us / indexAbsent.us).toFixed(0)}× faster`,
  );
  console.log(
    `  a name one patient file has: ${indexPresent.us.toFixed(0)} µs (every folder asked: the index only rules names out), ${indexPresent.found} found`,
  );
  console.log(
    `  the size of a new file: ${bySizeNew.us.toFixed(1)} µs (${bySizeNew.found} of ${LOOKUPS} sizes a chart has); a chart's size: ${bySizeChart.us.toFixed(0)} µs (${bySizeChart.found} found)`,
  );
  const perFile = (mb: number) => ((mb * 1_048_576) / (FOLDERS * PER_FOLDER)).toFixed(0);
  console.log(
    `  heap of the known files: ${names.toFixed(1)} MB names only, ${index.toFixed(1)} MB with the name index (+${perFile(index - names)} B a name), ${sizes.toFixed(1)} MB with the sizes too (+${perFile(sizes - index)} B a file)`,
  );
  console.log(
    `  scan at start of ${treeFolders * treePerFolder} real files in ${treeFolders} folders (median of 3): ${median(runs.without).toFixed(0)} ms names only (baseline), ${median(runs.with).toFixed(0)} ms taking sizes → ${(median(runs.with) / median(runs.without)).toFixed(2)}×`,
  );
}

if (process.argv[2] === 'heap') process.stdout.write(String(heapMb(process.argv[3] as Layout)));
else void main();
