import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_ARCHIVE_ENTRIES, readZipDirectory, type ZipDirectory } from './zip-directory';
import { zipArchive, type FixtureEntry } from './zip-writer.fixture';

const root = mkdtempSync(join(tmpdir(), 'ww-zip-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let files = 0;
async function directoryOf(bytes: Buffer): Promise<ZipDirectory | null> {
  const path = join(root, `a${files++}.zip`);
  writeFileSync(path, bytes);
  const handle = await open(path, 'r');
  try {
    return await readZipDirectory(handle);
  } finally {
    await handle.close();
  }
}

const chart = Buffer.from('chart 1 of ward 7\n'.repeat(200));
const note = Buffer.from('a note\n');
const fixture = (name: string) => readFileSync(join(__dirname, 'fixtures', name));

describe('readZipDirectory', () => {
  it.each(['info-zip.zip', 'info-zip64.zip'])(
    "reads an archiver's own archive (%s): names, sizes, CRC-32s",
    async (name) => {
      expect((await directoryOf(fixture(name)))?.entries).toEqual([
        { name: 'chart-1.pdf', size: chart.length, crc32: crc32(chart) },
        { name: 'notes.txt', size: note.length, crc32: crc32(note) },
      ]);
    },
  );

  it('reads stored and deflated entries, zip64, a comment, both name encodings', async () => {
    const entries: FixtureEntry[] = [
      { name: 'ward 7/chart-1.pdf', data: chart },
      { name: 'Pädiatrie/überweisung.pdf', data: note, store: true },
      { name: 'ré/lettre.txt', data: note, latin1: true },
      { name: 'folder/', data: Buffer.alloc(0), store: true },
      { name: 'secret.pdf', data: chart, aes: true },
    ];
    const expected = [
      { name: 'chart-1.pdf', size: chart.length, crc32: crc32(chart) },
      { name: 'überweisung.pdf', size: note.length, crc32: crc32(note) },
      { name: 'lettre.txt', size: note.length, crc32: crc32(note) },
      // AE-2 keeps no CRC; a folder is no file.
      { name: 'secret.pdf', size: chart.length },
    ];
    for (const options of [{}, { zip64: true }, { comment: 'PK\x05\x06 in a comment' }])
      expect((await directoryOf(zipArchive(entries, options)))?.entries).toEqual(expected);
  });

  it('is null for what is not a zip archive', async () => {
    for (const bytes of [
      Buffer.alloc(0),
      Buffer.from('PK\x03\x04'),
      Buffer.from('%PDF-1.7\n' + 'x'.repeat(1_000)),
      Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(1_000)]), // no end record
      // A self-extractor: an archive after a program. Not read (an archive must begin as one).
      Buffer.concat([Buffer.from('MZ stub'.repeat(100)), zipArchive([{ name: 'a.pdf', data: chart }])]),
    ])
      expect(await directoryOf(bytes)).toBeNull();
  });

  it('reads what any list of entries was written as', async () => {
    const entry = fc.record({
      name: fc.string({ minLength: 1, maxLength: 40 }).filter((s) => !/[/\\]/.test(s)),
      data: fc.uint8Array({ minLength: 1, maxLength: 300 }).map((a) => Buffer.from(a)),
      store: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(entry, { maxLength: 12 }), fc.boolean(), async (entries, zip64) => {
        const directory = await directoryOf(zipArchive(entries, { zip64 }));
        expect(directory?.entries).toEqual(
          entries.map((e) => ({ name: e.name, size: e.data.length, crc32: crc32(e.data) })),
        );
        expect(directory?.skipped).toBe(0);
      }),
      { numRuns: 60 },
    );
  });

  it('never throws on a damaged archive: cut, overwritten or with lying counts', async () => {
    const good = zipArchive(
      [
        { name: 'a/chart-1.pdf', data: chart },
        { name: 'b.txt', data: note, store: true },
      ],
      { comment: 'c' },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.nat(good.length - 1),
        fc.array(fc.tuple(fc.nat(good.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
        async (cut, writes) => {
          const bad = Buffer.from(good.subarray(0, Math.max(cut, 4)));
          for (const [at, value] of writes) if (at < bad.length) bad[at] = value;
          const directory = await directoryOf(bad);
          expect(directory === null || directory.entries.length <= 2).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('reads at most MAX_ARCHIVE_ENTRIES entries, and counts the rest as skipped', async () => {
    const many = Array.from({ length: MAX_ARCHIVE_ENTRIES + 5 }, (_, i) => ({
      name: `f${i}`,
      data: note,
      store: true,
    }));
    const directory = await directoryOf(zipArchive(many));
    expect(directory?.entries).toHaveLength(MAX_ARCHIVE_ENTRIES);
    expect(directory?.skipped).toBe(5);
  });

  it('refuses a directory larger than the file, however the end record claims it', async () => {
    const good = zipArchive([{ name: 'b.txt', data: note }]);
    const bad = Buffer.from(good);
    bad.writeUInt32LE(0x7fffffff, bad.length - 10); // the directory's size
    expect(await directoryOf(bad)).toBeNull();
  });
});
