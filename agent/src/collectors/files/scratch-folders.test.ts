// On real folders: what is a scratch folder now, and the defaults per platform.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultScratchFolders, findScratchFolders, MAX_MATCHES_PER_PATH } from './scratch-folders';

let root = '';
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('findScratchFolders', () => {
  it('keeps the folders, copies only and depth-limited; not a file, a link or what is missing', async () => {
    root = mkdtempSync(join(tmpdir(), 'ww-scratch-'));
    mkdirSync(join(root, 'tmp'));
    writeFileSync(join(root, 'file'), 'x');
    symlinkSync(join(root, 'tmp'), join(root, 'link'));
    const found = await findScratchFolders(
      ['file', 'link', 'missing', 'tmp'].map((name) => join(root, name)),
      1,
    );
    expect(found).toEqual([{ path: join(root, 'tmp'), class: 'other', copiesOnly: true, maxDepth: 1 }]);
  });

  it('matches a * with the folders there, not a link or a file, and follows a named link above', async () => {
    root = mkdtempSync(join(tmpdir(), 'ww-scratch-'));
    for (const folder of ['folders/ab/x1/T', 'folders/ab/x2', 'folders/cd/y1/T', 'elsewhere/z/T', 'real/tmp'])
      mkdirSync(join(root, folder), { recursive: true });
    writeFileSync(join(root, 'folders', 'ab', 'x3'), 'x');
    symlinkSync(join(root, 'elsewhere', 'z'), join(root, 'folders', 'cd', 'link'));
    symlinkSync(join(root, 'real'), join(root, 'named-link'));
    const found = await findScratchFolders([join(root, 'folders', '*', '*', 'T'), join(root, 'named-link', 'tmp')], 1);
    expect(found.map((f) => f.path)).toEqual([
      join(root, 'folders', 'ab', 'x1', 'T'),
      join(root, 'folders', 'cd', 'y1', 'T'),
      join(root, 'named-link', 'tmp'),
    ]);
    expect(found.every((f) => f.copiesOnly && f.maxDepth === 1 && f.class === 'other')).toBe(true);
  });

  it(`names at most ${MAX_MATCHES_PER_PATH} folders for one pattern, the first by name`, async () => {
    root = mkdtempSync(join(tmpdir(), 'ww-scratch-'));
    const names = Array.from({ length: MAX_MATCHES_PER_PATH + 6 }, (_, i) => `u${String(i).padStart(3, '0')}`);
    for (const name of names) mkdirSync(join(root, name, 'T'), { recursive: true });
    const found = await findScratchFolders([join(root, '*', 'T')], 0);
    expect(found.map((f) => f.path)).toEqual(names.slice(0, MAX_MATCHES_PER_PATH).map((name) => join(root, name, 'T')));
  });

  it('names each platform’s shared scratch space, and on macOS each user’s own', () => {
    expect(defaultScratchFolders('linux')).toEqual(['/tmp', '/var/tmp']);
    expect(defaultScratchFolders('win32')).toEqual(['C:\\Windows\\Temp']);
    expect(defaultScratchFolders('darwin')).toEqual(['/private/tmp', '/private/var/tmp', '/private/var/folders/*/*/T']);
  });
});
