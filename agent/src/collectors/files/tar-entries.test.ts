// Archives made by GNU tar itself (every Debian system has it), in its formats.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createReadStream, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createGunzip, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { COPY_COMPARE_BYTES } from './copy-lineage';
import { isTarStart, readTarEntries } from './tar-entries';

const root = mkdtempSync(join(tmpdir(), 'ww-tar-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const limits = { maxBytes: 1 << 30, maxEntries: 10_000 };

const longFolder = 'ward-7/'.repeat(20);
const files: Record<string, Buffer> = {
  'icu/chart-1.pdf': randomBytes(100_000),
  [`${longFolder}scan-0007.dcm`]: randomBytes(700),
  'icu/empty.txt': Buffer.alloc(0),
};
for (const [name, data] of Object.entries(files)) {
  mkdirSync(join(root, 'src', name, '..'), { recursive: true });
  writeFileSync(join(root, 'src', name), data);
}

let made = 0;
function tar(...flags: string[]): string {
  const out = join(root, `a${made++}.tar`);
  execFileSync('tar', [...flags, '-f', out, '-C', join(root, 'src'), 'icu', 'ward-7']);
  return out;
}

const expected = [
  { name: 'chart-1.pdf', size: 100_000, start: files['icu/chart-1.pdf'].subarray(0, COPY_COMPARE_BYTES) },
  { name: 'scan-0007.dcm', size: 700, start: files[`${longFolder}scan-0007.dcm`] },
];
const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
const bytes = (buffer: Buffer) => Readable.from([buffer]);

describe('readTarEntries', () => {
  it.each([['gnu'], ['posix'], ['ustar']])(
    "reads GNU tar's %s format: names (a long one too), sizes, first bytes",
    async (format) => {
      const path = tar('-c', `--format=${format}`);
      expect(isTarStart(readFileSync(path))).toBe(true);
      const reading = await readTarEntries(createReadStream(path), limits);
      expect(reading?.complete).toBe(true);
      expect(reading?.entries.sort(byName)).toEqual(expected);
    },
  );

  it('reads a gzip-compressed archive through gunzip', async () => {
    const reading = await readTarEntries(createReadStream(tar('-cz')).pipe(createGunzip()), limits);
    expect(reading?.entries.sort(byName)).toEqual(expected);
  });

  it('is null for what is not a tar archive; keeps what came before a cut or a damaged header', async () => {
    expect(await readTarEntries(bytes(randomBytes(5_000)), limits)).toBeNull();
    expect(await readTarEntries(bytes(Buffer.alloc(0)), limits)).toBeNull();
    const whole = readFileSync(tar('-c', '--format=ustar'));
    const cut = await readTarEntries(bytes(whole.subarray(0, 512 + 100_000 + 300)), limits);
    expect(cut).toMatchObject({ complete: false });
    const damaged = Buffer.from(whole);
    damaged[whole.indexOf('scan-0007.dcm') + 1] ^= 1; // its header's checksum no longer holds
    expect((await readTarEntries(bytes(damaged), limits))?.complete).toBe(false);
  });

  it('stops at maxBytes of the stream, so a gzip bomb costs no more than that', async () => {
    const header = readFileSync(tar('-c', '--format=ustar')).subarray(0, 512);
    const bomb = Buffer.from(header);
    bomb.write('00777777777\0', 124, 'latin1'); // a 8 GB file of zeros follows
    bomb.write('        ', 148, 'latin1');
    bomb.write(
      `${[...bomb]
        .reduce((sum, b) => sum + b, 0)
        .toString(8)
        .padStart(6, '0')}\0 `,
      148,
      'latin1',
    );
    const zeros = Buffer.alloc(64 * 1024 * 1024);
    const compressed = gzipSync(Buffer.concat([bomb, zeros])); // 64 MB of zeros: a few dozen KB
    let read = 0;
    const counted = Readable.from(bytes(compressed).pipe(createGunzip())).map((chunk: Buffer) => {
      read += chunk.length;
      return chunk;
    });
    const reading = await readTarEntries(counted, { maxBytes: 1 << 20, maxEntries: 10 });
    expect(reading).toEqual({ entries: [], complete: false });
    expect(read).toBeLessThan(4 << 20);
  });

  it('never throws on any bytes after a good header', async () => {
    const header = readFileSync(tar('-c', '--format=posix')).subarray(0, 1_536);
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 3_000 }), fc.nat(1_535), async (tail, cut) => {
        const reading = await readTarEntries(bytes(Buffer.concat([header.subarray(0, cut), tail])), limits);
        expect(reading === null || reading.entries.length <= 2).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
