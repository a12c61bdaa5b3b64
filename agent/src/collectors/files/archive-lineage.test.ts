import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { archivedFrom, startsLikeArchive, type ArchivedFile } from './archive-lineage';
import { zipArchive } from './zip-writer.fixture';

const root = mkdtempSync(join(tmpdir(), 'ww-archive-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const phi = join(root, 'phi');
mkdirSync(phi);

/** Patient files by name, and a lookup as the collector's (same name, else same size). */
function patientFiles(files: Record<string, Buffer>) {
  for (const [name, data] of Object.entries(files)) writeFileSync(join(phi, name), data);
  return (entry: ArchivedFile) =>
    Object.entries(files)
      .filter(([name, data]) => name === entry.name || data.length === entry.size)
      .map(([name]) => join(phi, name));
}

let archives = 0;
function archive(bytes: Buffer): string {
  const path = join(root, `stick-${archives++}.zip`);
  writeFileSync(path, bytes);
  return path;
}

describe('archivedFrom', () => {
  const [chart, scan, letter, note] = [randomBytes(20_000), randomBytes(9_000), randomBytes(3_000), randomBytes(300)];
  const candidatesOf = patientFiles({ 'chart-1.pdf': chart, 'scan.dcm': scan, 'letter.pdf': letter, 'note.txt': note });

  it('names the patient file each entry copies, by name or by size, proven by its CRC-32', async () => {
    const path = archive(
      zipArchive([
        { name: 'ward/chart-1.pdf', data: chart },
        { name: 'holiday.jpg', data: scan, store: true }, // renamed: found by its size
        { name: 'letter.pdf', data: randomBytes(3_000) }, // same name and size, other bytes
        { name: 'todo.txt', data: Buffer.from('buy milk') },
        { name: 'secret.pdf', data: letter, aes: true }, // no CRC, but name and size differ: not proven
        { name: 'letter.pdf', data: randomBytes(3_000), aes: true }, // no CRC; name and size match
      ]),
    );
    const lineage = await archivedFrom(path, candidatesOf);
    expect(lineage?.copies.map((c) => [c.entry.name, basename(c.source)])).toEqual([
      ['chart-1.pdf', 'chart-1.pdf'],
      ['holiday.jpg', 'scan.dcm'],
      ['letter.pdf', 'letter.pdf'],
    ]);
    expect(lineage?.complete).toBe(true);
  });

  it('reads at most its byte budget of patient files, and says it did not check to the end', async () => {
    const path = archive(
      zipArchive([
        { name: 'chart-1.pdf', data: chart },
        { name: 'scan.dcm', data: scan },
        { name: 'letter.pdf', data: letter },
      ]),
    );
    const lineage = await archivedFrom(path, candidatesOf, chart.length + letter.length);
    expect(lineage?.copies.map((c) => c.entry.name)).toEqual(['chart-1.pdf']);
    expect(lineage?.complete).toBe(false); // stopped at the scan, though the letter would have fit
    expect((await archivedFrom(path, candidatesOf, chart.length + scan.length + letter.length))?.complete).toBe(true);
  });

  it.each([['-c'], ['-cz']])(
    'names the patient file each file of a tar archive (tar %s) copies, by name or size and first bytes',
    async (flags) => {
      const src = join(root, `tar${archives++}`);
      mkdirSync(join(src, 'ward'), { recursive: true });
      writeFileSync(join(src, 'ward', 'chart-1.pdf'), chart);
      writeFileSync(join(src, 'holiday.jpg'), scan); // renamed: found by its size
      writeFileSync(join(src, 'letter.pdf'), randomBytes(3_000)); // same name and size, other bytes
      const path = join(root, `stick-${archives++}.tgz`);
      execFileSync('tar', [flags, '-f', path, '-C', src, '.']);
      expect(startsLikeArchive(path)).toBe(true);
      const lineage = await archivedFrom(path, candidatesOf);
      expect(lineage?.copies.map((c) => [c.entry.name, basename(c.source)]).sort()).toEqual([
        ['chart-1.pdf', 'chart-1.pdf'],
        ['holiday.jpg', 'scan.dcm'],
      ]);
      expect(lineage?.complete).toBe(true);
      // Read no further than the budget: the stream stops inside the chart.
      expect((await archivedFrom(path, candidatesOf, 10_000))?.complete).toBe(false);
    },
  );

  it('is null for a file that is no archive or is gone', async () => {
    expect(await archivedFrom(archive(randomBytes(5_000)), candidatesOf)).toBeNull();
    expect(await archivedFrom(join(root, 'gone.zip'), candidatesOf)).toBeNull();
  });

  it('tells a zip archive by its first bytes', () => {
    expect(startsLikeArchive(archive(zipArchive([{ name: 'a', data: note }])))).toBe(true);
    expect(startsLikeArchive(archive(zipArchive([])))).toBe(true);
    expect(startsLikeArchive(archive(Buffer.from('%PDF-1.7')))).toBe(false);
    expect(startsLikeArchive(join(root, 'gone.zip'))).toBe(false);
  });
});
