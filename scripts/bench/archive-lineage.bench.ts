// What looking inside zip archives costs the file collector (archive-lineage.ts):
//  - every new file outside the patient-data folders is first asked whether it begins as a zip
//    (startsLikeArchive), against the entropy sample the collector already reads of it (baseline,
//    same files, same run);
//  - an office document (a zip of 15 parts, none a patient file): its directory read and looked up;
//  - an archive of 300 charts (100 KB – 1 MB, 165 MB) taken from the patient folders, every entry
//    proven by the CRC-32 of its source (read whole), and one of 3,000 charts (its first 256 MB
//    proven, then it stops: not complete);
//  - the 300 charts as GNU tar packs them, plain and gzip-compressed (`tar czf`): read as a stream,
//    each file's first 64 KB compared with the patient file of its name.
// Real files in a temporary folder (page cache warm after the first pass: the workstation's case
// for charts just zipped). Prints the median of 5 runs.
//   npx tsx scripts/bench/archive-lineage.bench.ts
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  archivedFrom,
  ARCHIVE_CHECK_BYTES,
  startsLikeArchive,
  type ArchivedFile,
} from '../../agent/src/collectors/files/archive-lineage';
import { sampleEntropySync } from '../../agent/src/collectors/files/entropy';

import { zipArchive } from '../../agent/src/collectors/files/zip-writer.fixture';

const root = mkdtempSync(join(tmpdir(), 'ww-archive-bench-'));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

function charts(count: number, folder: string) {
  mkdirSync(folder, { recursive: true });
  return Array.from({ length: count }, (_, i) => {
    const data = randomBytes(100_000 + ((i * 7_919) % 900_000));
    const path = join(folder, `chart-${i}.pdf`);
    writeFileSync(path, data);
    return { name: `chart-${i}.pdf`, path, data };
  });
}

function lookup(files: { name: string; path: string; data: Buffer }[]) {
  const byName = new Map(files.map((f) => [f.name, f.path]));
  return (entry: ArchivedFile) => {
    const named = byName.get(entry.name);
    return named ? [named] : [];
  };
}

async function timeArchive(path: string, candidatesOf: (e: ArchivedFile) => string[]) {
  const runs: number[] = [];
  let last;
  for (let run = 0; run < 5; run++) {
    const start = process.hrtime.bigint();
    last = await archivedFrom(path, candidatesOf);
    runs.push(ms(start));
  }
  return { ms: median(runs), copies: last?.copies.length ?? 0, complete: last?.complete ?? false };
}

async function main(): Promise<void> {
  // 1. New files outside the patient folders: the zip test against the sample already taken.
  const plain = Array.from({ length: 2_000 }, (_, i) => {
    const path = join(root, `new-${i}.docx`);
    writeFileSync(path, randomBytes(20_000));
    return path;
  });
  const perFile = (work: (path: string) => unknown) => {
    const runs: number[] = [];
    for (let run = 0; run < 5; run++) {
      const start = process.hrtime.bigint();
      for (const path of plain) work(path);
      runs.push((ms(start) * 1_000) / plain.length);
    }
    return median(runs);
  };
  const sample = perFile((path) => sampleEntropySync(path, 0));
  const zipTest = perFile((path) => startsLikeArchive(path));
  console.log(
    `new file outside the patient folders: zip test ${zipTest.toFixed(1)} µs, entropy sample ${sample.toFixed(1)} µs (baseline) → +${((100 * zipTest) / sample).toFixed(0)} % of the sample`,
  );

  // 2. An office document: a zip of 15 parts, none a patient file.
  const phi = charts(300, join(root, 'phi'));
  const candidatesOf = lookup(phi);
  const office = join(root, 'report.xlsx');
  writeFileSync(
    office,
    zipArchive(
      Array.from({ length: 15 }, (_, i) => ({ name: `xl/worksheets/sheet${i}.xml`, data: randomBytes(5_000) })),
    ),
  );
  const doc = await timeArchive(office, candidatesOf);
  console.log(`office document (15 parts, no patient file): ${doc.ms.toFixed(2)} ms, ${doc.copies} copies`);

  // 3. 300 charts zipped (stored: the bytes are random), every entry proven.
  const total = phi.reduce((sum, f) => sum + f.data.length, 0);
  const archive = join(root, 'stick.zip');
  writeFileSync(archive, zipArchive(phi.map((f) => ({ name: `ward/${f.name}`, data: f.data, store: true }))));
  const all = await timeArchive(archive, candidatesOf);
  console.log(
    `archive of ${phi.length} charts (${(total / 1e6).toFixed(0)} MB): ${all.ms.toFixed(0)} ms, ${all.copies} copies proven (complete: ${all.complete}) → ${(total / 1e6 / (all.ms / 1_000)).toFixed(0)} MB/s`,
  );

  // 4. 3,000 charts: the byte budget stops the proof.
  const many = charts(3_000, join(root, 'phi-large'));
  const big = join(root, 'big.zip');
  writeFileSync(big, zipArchive(many.map((f) => ({ name: f.name, data: f.data, store: true }))));
  const capped = await timeArchive(big, lookup(many));
  const bigTotal = many.reduce((sum, f) => sum + f.data.length, 0);
  console.log(
    `archive of ${many.length} charts (${(bigTotal / 1e6).toFixed(0)} MB), budget ${ARCHIVE_CHECK_BYTES / 1_048_576} MiB: ${capped.ms.toFixed(0)} ms, ${capped.copies} proven (complete: ${capped.complete})`,
  );

  // 5. The same 300 charts packed by GNU tar, plain and compressed.
  for (const flags of ['-c', '-cz']) {
    const packed = join(root, `ward${flags}.tar`);
    execFileSync('tar', [flags, '-f', packed, '-C', join(root, 'phi'), '.']);
    const t = await timeArchive(packed, candidatesOf);
    console.log(
      `tar ${flags} of ${phi.length} charts (${(total / 1e6).toFixed(0)} MB): ${t.ms.toFixed(0)} ms, ${t.copies} copies proven (complete: ${t.complete}) → ${(total / 1e6 / (t.ms / 1_000)).toFixed(0)} MB/s`,
    );
  }
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => rmSync(root, { recursive: true, force: true }));
