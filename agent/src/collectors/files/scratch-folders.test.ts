// On real folders: what is a scratch folder now, and the defaults per platform.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultScratchFolders, findScratchFolders } from './scratch-folders';

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

  it('names each platform’s shared scratch space', () => {
    expect(defaultScratchFolders('linux')).toEqual(['/tmp', '/var/tmp']);
    expect(defaultScratchFolders('win32')).toEqual(['C:\\Windows\\Temp']);
    expect(defaultScratchFolders('darwin')).toContain('/private/tmp');
  });
});
