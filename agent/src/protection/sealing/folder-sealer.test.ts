import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FolderSealer } from './folder-sealer';
import { unsealFile } from './sealed-file';
import { testKek } from './sealing.fixture';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ww-folder-seal-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('FolderSealer', () => {
  it('seals every file in the folders, skips sealed ones and links, and a second run seals nothing', async () => {
    const key = testKek();
    const exports = join(dir, 'exports');
    mkdirSync(join(exports, 'ward-3'), { recursive: true });
    writeFileSync(join(exports, 'a.pdf'), 'patient a');
    writeFileSync(join(exports, 'ward-3', 'b.csv'), 'patient b');
    writeFileSync(join(dir, 'outside.txt'), 'not in a sealed folder');
    symlinkSync(join(dir, 'outside.txt'), join(exports, 'link.txt'));
    const sealer = new FolderSealer({ kek: () => Promise.resolve(key.kek), chunkBytes: 1_024 });

    const first = await sealer.sealFolders([exports], 3);
    expect(first.sealed.map((p) => p.slice(exports.length + 1)).sort()).toEqual([
      'a.pdf.wwsealed',
      'ward-3/b.csv.wwsealed',
    ]);
    expect(first.failed).toEqual([]);
    expect(readFileSync(join(dir, 'outside.txt'), 'utf8')).toBe('not in a sealed folder');

    const second = await sealer.sealFolders([exports], 3);
    expect(second.sealed).toEqual([]);
    expect(second.skipped).toBe(2);

    await unsealFile(join(exports, 'ward-3', 'b.csv.wwsealed'), join(dir, 'b.csv'), key.unwrap);
    expect(readFileSync(join(dir, 'b.csv'), 'utf8')).toBe('patient b');
  });

  it('stops at its file budget and says so', async () => {
    const key = testKek();
    for (let i = 0; i < 5; i++) writeFileSync(join(dir, `f${i}`), 'x');
    const report = await new FolderSealer({ kek: () => Promise.resolve(key.kek), maxFiles: 3 }).sealFolders([dir], 1);
    expect(report.sealed).toHaveLength(3);
    expect(report.truncated).toBe(true);
    expect(readdirSync(dir).filter((n) => n.endsWith('.wwsealed'))).toHaveLength(3);
  });

  it('reports a missing folder and goes on with the others', async () => {
    const key = testKek();
    writeFileSync(join(dir, 'a'), 'x');
    const report = await new FolderSealer({ kek: () => Promise.resolve(key.kek) }).sealFolders(
      [join(dir, 'nope'), dir],
      1,
    );
    expect(report.failed).toHaveLength(1);
    expect(report.sealed).toHaveLength(1);
  });
});
