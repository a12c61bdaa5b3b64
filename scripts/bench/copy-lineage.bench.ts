// What looking for a copy's source costs the file collector: the patient files a workstation
// knows (100,000 names in 10,000 folders, as found by the scan at start), then lookups of names
// that no patient file has (most new files) and of names one has (a chart copied out). The name
// index of KnownFiles against the scan of every folder it rules out, in the same run, and the
// heap the index adds (each layout built in its own child process, after a full GC).
//   npx tsx scripts/bench/copy-lineage.bench.ts
import { execFileSync } from 'node:child_process';
import { KnownFiles } from '../../agent/src/collectors/files/known-files';

const FOLDERS = 10_000;
const PER_FOLDER = 10;
const LOOKUPS = 2_000;
const name = (d: number, i: number) => `chart-${String(d).padStart(6, '0')}-${i}.pdf`;

function build(): KnownFiles {
  const known = new KnownFiles();
  for (let d = 0; d < FOLDERS; d++) {
    const dir = `/srv/phi/unit${d % 20}/patient${d}`;
    for (let i = 0; i < PER_FOLDER; i++) known.set(dir, name(d, i), null);
    known.sealScan(dir);
  }
  return known;
}

/** Kept alive while the heap is measured. */
let held: KnownFiles | undefined;

/** Heap held by the built KnownFiles, in MB; with `scanOnly` its (private) name index is emptied. */
function heapMb(scanOnly: boolean): number {
  const gc = (globalThis as { gc?: () => void }).gc!;
  gc();
  const before = process.memoryUsage().heapUsed;
  held = build();
  if (scanOnly) (held as unknown as { nameHashes: Map<number, number> }).nameHashes.clear();
  gc();
  return (process.memoryUsage().heapUsed - before) / 1_048_576;
}

if (process.argv[2] === 'heap') {
  process.stdout.write(String(heapMb(process.argv[3] === 'scan')));
} else {
  const known = build();
  const micros = (names: string[], find: (n: string) => string[]) => {
    const start = process.hrtime.bigint();
    let found = 0;
    for (const n of names) found += find(n).length;
    return { us: Number(process.hrtime.bigint() - start) / 1_000 / names.length, found };
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
  const child = (mode: string) =>
    Number(execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', __filename, 'heap', mode]).toString());
  const [withIndex, scanOnly] = [child('index'), child('scan')];
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
    `  heap of the known files: ${withIndex.toFixed(1)} MB with the index, ${scanOnly.toFixed(1)} MB without → +${(withIndex - scanOnly).toFixed(1)} MB (${(((withIndex - scanOnly) * 1_048_576) / (FOLDERS * PER_FOLDER)).toFixed(0)} B a name)`,
  );
}
