import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { ExecutableHasher, HASH_CHUNK_BYTES } from './executable-hasher';

const dir = mkdtempSync(join(tmpdir(), 'ww-hash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const sha = (data: string) => createHash('sha256').update(data).digest('hex');

describe('ExecutableHasher', () => {
  it('hashes once per inode and mtime, and again after the file changes', async () => {
    const file = join(dir, 'tool');
    writeFileSync(file, 'version 1');
    const hasher = new ExecutableHasher();
    expect(await hasher.hash([file])).toBe(sha('version 1'));
    expect(await hasher.hash([file])).toBe(sha('version 1'));
    expect(hasher.stats).toMatchObject({ hashed: 1, cacheHits: 1 });
    writeFileSync(file, 'version 2!');
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    expect(await hasher.hash([file])).toBe(sha('version 2!'));
    expect(hasher.stats.hashed).toBe(2);
  });

  it('falls back to the next path, skips large files, and shares one hash between concurrent callers', async () => {
    const file = join(dir, 'other');
    writeFileSync(file, 'x'.repeat(1000));
    const hasher = new ExecutableHasher({ maxFileBytes: 500, concurrency: 1 });
    expect(await hasher.hash([join(dir, 'missing'), file])).toBe('');
    expect(hasher.stats.skippedTooLarge).toBe(1);

    const small = join(dir, 'small');
    writeFileSync(small, 'abc');
    const both = await Promise.all([hasher.hash([join(dir, 'missing'), small]), hasher.hash([small])]);
    expect(both).toEqual([sha('abc'), sha('abc')]);
    expect(hasher.stats.hashed).toBe(1);
  });

  it('hashes files of many chunks concurrently, each with its own buffer, without a buffer per chunk', async () => {
    const contents = [0, 1, 2, 3].map((k) => String.fromCharCode(97 + k).repeat(3 * HASH_CHUNK_BYTES + 1_000 * k));
    contents.forEach((text, k) => writeFileSync(join(dir, `multi-${k}`), text));
    const hasher = new ExecutableHasher({ concurrency: 2 });
    const digests = await Promise.all(contents.map((_, k) => hasher.hash([join(dir, `multi-${k}`)])));
    expect(digests).toEqual(contents.map(sha));

    // A 16 MB file through a read stream is 64 chunks allocated and left to the GC; here, no new buffer at all.
    const big = join(dir, 'big');
    writeFileSync(big, Buffer.alloc(16 * 1_048_576, 7));
    const allocations = vi.spyOn(Buffer, 'allocUnsafeSlow');
    try {
      expect(await hasher.hash([big])).toBe(
        createHash('sha256')
          .update(Buffer.alloc(16 * 1_048_576, 7))
          .digest('hex'),
      );
      expect(allocations).not.toHaveBeenCalled();
    } finally {
      allocations.mockRestore();
    }
  });

  it('hashes the running image of this process through /proc/self/exe', async () => {
    if (process.platform !== 'linux') return;
    const digest = await new ExecutableHasher().hash(['/proc/self/exe']);
    expect(digest).toMatch(/^[0-9a-f]{64}$/);
  });
});
