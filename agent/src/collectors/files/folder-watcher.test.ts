// The folder-watch addon for real (Linux, where it is built): inotify read on its own thread,
// each changed name once per batch; fs.watch beside it for the same writes.
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultFolderWatcher, fsFolderWatcher, type FolderWatcher } from './folder-watcher';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function watched(folders: FolderWatcher) {
  const dir = mkdtempSync(join(tmpdir(), 'ww-folder-watch-'));
  const names: (string | null)[] = [];
  const unwatch = folders.watch(dir, {
    changed: (name) => names.push(name),
    failed: (error) => names.push(String(error)),
  });
  cleanups.push(() => {
    unwatch();
    folders.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { dir, names, unwatch };
}

const addon = defaultFolderWatcher();

describe.runIf(addon.kind === 'inotify-batches')('the folder-watch addon', () => {
  it('hands writes alternating between two files over as a few entries, where fs.watch gives one per write', async () => {
    // Alternating, so the kernel cannot merge them (it merges only a repeat of the event just before).
    const batched = watched(defaultFolderWatcher());
    const plain = watched(fsFolderWatcher());
    for (const { dir } of [batched, plain]) {
      for (let i = 0; i < 100; i++) for (const name of ['a.txt', 'b.txt']) appendFileSync(join(dir, name), 'x');
    }
    await settle(300);
    expect(plain.names.filter((n) => n === 'a.txt').length).toBeGreaterThanOrEqual(100);
    for (const name of ['a.txt', 'b.txt']) {
      const entries = batched.names.filter((n) => n === name).length;
      expect(entries).toBeGreaterThanOrEqual(1);
      expect(entries).toBeLessThan(20);
    }
    expect(batched.names.every((n) => n === 'a.txt' || n === 'b.txt')).toBe(true);
  });

  it('keeps names in the order first changed, and is silent once unwatched', async () => {
    const { dir, names, unwatch } = watched(defaultFolderWatcher());
    for (const name of ['b.pdf', 'a.pdf', 'b.pdf', 'c.pdf']) writeFileSync(join(dir, name), name);
    await settle(200);
    expect([...new Set(names)]).toEqual(['b.pdf', 'a.pdf', 'c.pdf']);
    unwatch();
    names.length = 0;
    writeFileSync(join(dir, 'later.pdf'), 'x');
    await settle(200);
    expect(names).toEqual([]);
  });

  it('refuses a folder that does not exist with ENOENT, as fs.watch does', () => {
    const folders = defaultFolderWatcher();
    cleanups.push(() => folders.close());
    const missing = join(tmpdir(), 'ww-no-such-folder', 'ward');
    expect(() => folders.watch(missing, { changed: () => {}, failed: () => {} })).toThrow(
      expect.objectContaining({ code: 'ENOENT' }),
    );
  });
});
