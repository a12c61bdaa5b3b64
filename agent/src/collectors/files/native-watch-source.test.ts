// Live on a temporary folder: real files, real fs.watch and (on Linux, where built) the real
// folder-watch addon.
import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { EventEmitter } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultFolderWatcher, fsFolderWatcher, type FolderWatcher } from './folder-watcher';
import { watcherRunningOutAfter } from './folder-watcher.fixture';
import { addedFolderBound, firstEntries, NativeWatchSource } from './native-watch-source';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

// Every live test runs on each way of watching a folder this machine has.
const watchers = [
  { name: 'fs.watch', folders: () => fsFolderWatcher() },
  ...(defaultFolderWatcher().kind === 'inotify-batches'
    ? [{ name: 'addon', folders: () => defaultFolderWatcher() }]
    : []),
];

async function sut(
  roots: string[],
  options: {
    settleMs?: number;
    maxWaitMs?: number;
    folders?: () => FolderWatcher;
    sizesUnder?: (dir: string) => boolean;
    maxAddedFolders?: number;
  } = {},
) {
  const seen: string[] = [];
  const source = new NativeWatchSource({
    settleMs: options.settleMs ?? 30,
    maxWaitMs: options.maxWaitMs,
    folders: options.folders?.(),
    sizesUnder: options.sizesUnder,
    maxAddedFolders: options.maxAddedFolders,
  });
  await source.start(roots, {
    add: (path, stats) => seen.push(`add ${path} ${stats?.size}`),
    change: (path, stats) => seen.push(`change ${path} ${stats?.size}`),
    unlink: (path) => seen.push(`unlink ${path}`),
    error: (error) => seen.push(`error ${String(error)}`),
    recovered: () => seen.push('recovered'),
  });
  cleanups.push(() => source.close());
  const until = async (done: () => boolean, what: string) => {
    const deadline = Date.now() + 5_000;
    while (!done()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; saw ${JSON.stringify(seen)}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  return { source, seen, until };
}

function tempRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'ww-native-'));
  cleanups.push(() => rmSync(root, { recursive: true, force: true }));
  return root;
}

const settle = (ms = 150) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(watchers)('NativeWatchSource (live, $name)', { timeout: 15_000 }, ({ folders }) => {
  it('finds files by size in the folders whose sizes it takes, scanned or looked at since', async () => {
    const root = tempRoot();
    const [charts, downloads] = [join(root, 'charts', 'ward'), join(root, 'downloads')];
    mkdirSync(charts, { recursive: true });
    mkdirSync(downloads);
    writeFileSync(join(charts, 'a.pdf'), 'x'.repeat(700));
    writeFileSync(join(downloads, 'b.pdf'), 'y'.repeat(700));
    const { source, seen, until } = await sut([root], {
      folders,
      sizesUnder: (dir) => dir.startsWith(join(root, 'charts')),
    });
    expect(source.filesOfSize(700, 8)).toEqual([join(charts, 'a.pdf')]);
    expect(source.filesOfSize(700, 8, charts)).toEqual([]);
    writeFileSync(join(charts, 'c.pdf'), 'z'.repeat(700));
    writeFileSync(join(downloads, 'd.pdf'), 'z'.repeat(700));
    await until(() => seen.length === 2, 'two adds');
    expect(source.filesOfSize(700, 8).sort()).toEqual([join(charts, 'a.pdf'), join(charts, 'c.pdf')]);
    expect(source.filesOfSize(700, 1)).toHaveLength(1);
    appendFileSync(join(charts, 'a.pdf'), 'x');
    await until(() => seen.length === 3, 'a change');
    expect(source.filesOfSize(701, 8)).toEqual([join(charts, 'a.pdf')]);
    expect(source.filesOfSize(700, 8)).toEqual([join(charts, 'c.pdf')]);
  });

  it('reports a burst of writes to one file once it settles, with the final size', async () => {
    const root = tempRoot();
    writeFileSync(join(root, 'notes.txt'), '');
    const { seen, until } = await sut([root], { folders });
    for (let i = 0; i < 20; i++) appendFileSync(join(root, 'notes.txt'), 'x'.repeat(10));
    await until(() => seen.length > 0, 'a change');
    await settle();
    expect(seen).toEqual([`change ${join(root, 'notes.txt')} 200`]);
  });

  it('reports a file that is written without pause at least once per maxWaitMs', async () => {
    const root = tempRoot();
    const { seen, until } = await sut([root], { settleMs: 200, maxWaitMs: 100, folders });
    const path = join(root, 'growing.log');
    const end = Date.now() + 600;
    while (Date.now() < end) {
      appendFileSync(path, 'line\n');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await until(() => seen.some((s) => s.startsWith('change')), 'a change while still writing');
    expect(seen[0]).toMatch(/^add /);
  });

  it('keeps the two halves of a rename in order, and does not report files present at the start', async () => {
    const root = tempRoot();
    writeFileSync(join(root, 'a.doc'), 'abc');
    const { seen, until } = await sut([root], { folders });
    renameSync(join(root, 'a.doc'), join(root, 'b.doc'));
    await until(() => seen.length >= 2, 'both halves');
    expect(seen).toEqual([`unlink ${join(root, 'a.doc')}`, `add ${join(root, 'b.doc')} 3`]);
  });

  it('follows a folder moved in, and unlinks the files of a folder removed', async () => {
    const root = tempRoot();
    const outside = tempRoot();
    mkdirSync(join(outside, 'ward', 'bay'), { recursive: true });
    writeFileSync(join(outside, 'ward', 'bay', 'chart.pdf'), '12345');
    mkdirSync(join(root, 'old'));
    writeFileSync(join(root, 'old', 'x.txt'), 'x');
    const { seen, until } = await sut([root], { folders });
    renameSync(join(outside, 'ward'), join(root, 'ward'));
    await until(() => seen.includes(`add ${join(root, 'ward', 'bay', 'chart.pdf')} 5`), 'the moved-in file');
    writeFileSync(join(root, 'ward', 'bay', 'later.pdf'), '1');
    await until(
      () => seen.includes(`add ${join(root, 'ward', 'bay', 'later.pdf')} 1`),
      'a file in the moved-in folder',
    );
    rmSync(join(root, 'old'), { recursive: true });
    await until(() => seen.includes(`unlink ${join(root, 'old', 'x.txt')}`), 'the removed folder’s file');
    expect(seen.filter((s) => s.startsWith('error'))).toEqual([]);
  });

  it('watches a root added with a depth so far down, and keeps the roots inside one it lets go', async () => {
    const watched = tempRoot();
    const profile = tempRoot();
    mkdirSync(join(profile, 'Desktop', 'a', 'b'), { recursive: true });
    mkdirSync(join(profile, 'Music'));
    const { source, seen, until } = await sut([watched], { folders });
    await source.addRoot(profile, 0);
    await source.addRoot(join(profile, 'Desktop'), 1);
    for (const path of [
      ['top.pdf'],
      ['Music', 'song.pdf'],
      ['Desktop', 'a', 'one.pdf'],
      ['Desktop', 'a', 'b', 'two.pdf'],
    ])
      writeFileSync(join(profile, ...path), 'x');
    await until(() => seen.length >= 2, 'the files within depth');
    source.removeRoot(profile);
    writeFileSync(join(profile, 'later.pdf'), 'x');
    writeFileSync(join(profile, 'Desktop', 'later.pdf'), 'x');
    await until(() => seen.length >= 3, 'a file in the root inside');
    writeFileSync(join(watched, 'marker.pdf'), 'x');
    await until(() => seen.length >= 4, 'the marker');
    expect(seen.map((line) => line.replace(profile, '~').replace(watched, '='))).toEqual([
      'add ~/top.pdf 1',
      'add ~/Desktop/a/one.pdf 1',
      'add ~/Desktop/later.pdf 1',
      'add =/marker.pdf 1',
    ]);
  });

  it('lets a root inside a depth-limited one keep its own depth, given before it or after', async () => {
    const scratch = tempRoot();
    const [site, synced] = [join(scratch, 'ward', 'records'), join(scratch, 'ana', 'OneDrive')];
    for (const dir of [join(site, 'bay'), join(synced, 'a', 'b')]) mkdirSync(dir, { recursive: true });
    const { source, seen, until } = await sut([site], { folders });
    await source.addRoot(scratch, 0);
    await source.addRoot(synced);
    writeFileSync(join(scratch, 'ward', 'too-deep.pdf'), 'x');
    writeFileSync(join(synced, 'a', 'b', 'chart.pdf'), 'x');
    mkdirSync(join(site, 'bay', 'new'));
    await settle();
    writeFileSync(join(site, 'bay', 'new', 'chart.pdf'), 'x');
    writeFileSync(join(scratch, 'stage.pdf'), 'x');
    await until(() => seen.length >= 3, 'three files');
    await settle();
    expect(seen.map((line) => line.replace(scratch, '~')).sort()).toEqual([
      'add ~/ana/OneDrive/a/b/chart.pdf 1',
      'add ~/stage.pdf 1',
      'add ~/ward/records/bay/new/chart.pdf 1',
    ]);
  });

  it('bounds the folders watched under roots added at run time, never the configured ones', async () => {
    const site = tempRoot();
    const scratch = tempRoot();
    for (const name of ['a', 'b', 'c', 'd', 'e']) mkdirSync(join(scratch, name));
    const { source, seen, until } = await sut([site], { folders, maxAddedFolders: 3 });
    await source.addRoot(scratch);
    for (const name of ['a', 'b', 'c', 'd', 'e']) writeFileSync(join(scratch, name, 'x.pdf'), 'x');
    mkdirSync(join(site, 'ward', 'bay'), { recursive: true });
    await settle();
    writeFileSync(join(site, 'ward', 'bay', 'chart.pdf'), 'x');
    await until(() => seen.some((line) => line.includes('chart.pdf')), 'the file in the configured folder');
    await settle();
    const added = seen.filter((line) => line.startsWith(`add ${scratch}`));
    expect(added).toHaveLength(2); // the scratch folder and two of its five subfolders: three watches
    expect(seen.filter((line) => line.startsWith('error'))).toEqual([
      "error Error: folders found at run time (profiles' folders, scratch folders, removable volumes) hold 3 watches, their bound: their further subfolders are not watched",
    ]);
    source.removeRoot(scratch); // let go: its watches count no more, its refused folders are forgotten
    await until(() => seen.includes('recovered'), 'no folder refused any more');
    const stick = tempRoot();
    mkdirSync(join(stick, 'photos'));
    await source.addRoot(stick);
    writeFileSync(join(stick, 'photos', 'y.pdf'), 'y');
    await until(() => seen.some((line) => line.includes('y.pdf')), 'a file on the next volume');
  });

  it('stays precise in one flat folder of 5,000 files', async () => {
    const root = tempRoot();
    for (let i = 0; i < 5_000; i++) writeFileSync(join(root, `f${i}.txt`), 'a');
    const { seen, until } = await sut([root], { folders });
    for (let i = 0; i < 5_000; i += 50) appendFileSync(join(root, `f${i}.txt`), 'bb');
    await until(() => seen.length >= 100, '100 changes');
    await settle();
    expect(seen).toHaveLength(100);
    expect(seen.every((s) => s.startsWith('change ') && s.endsWith(' 3'))).toBe(true);
  });
});

describe('NativeWatchSource (the OS cannot say which entry changed)', () => {
  it('looks at every entry of the folder and at every known file of it that is gone', async () => {
    const root = tempRoot();
    mkdirSync(join(root, 'ward'));
    for (const name of ['kept.txt', 'gone.txt']) writeFileSync(join(root, 'ward', name), 'x');
    writeFileSync(join(root, 'other.txt'), 'x');
    // Watches that never fire on their own: the test says when a folder "overflowed".
    const callbacks = new Map<string, (type: string, name: string | null) => void>();
    const silent = ((dir: string, _options: unknown, callback: (type: string, name: string | null) => void) => {
      callbacks.set(dir, callback);
      return Object.assign(new EventEmitter(), { close: () => {} });
    }) as unknown as typeof import('node:fs').watch;
    const seen: string[] = [];
    const source = new NativeWatchSource({ settleMs: 20, folders: fsFolderWatcher(silent) });
    cleanups.push(() => source.close());
    await source.start([root], {
      add: (path) => seen.push(`add ${path}`),
      change: (path) => seen.push(`change ${path}`),
      unlink: (path) => seen.push(`unlink ${path}`),
      error: (error) => seen.push(`error ${String(error)}`),
    });
    rmSync(join(root, 'ward', 'gone.txt'));
    writeFileSync(join(root, 'ward', 'new.txt'), 'y');
    callbacks.get(join(root, 'ward'))?.('rename', null);
    const deadline = Date.now() + 5_000;
    while (seen.length < 3 && Date.now() < deadline) await settle(20);
    await settle(100);
    expect([...seen].sort()).toEqual(
      [
        `add ${join(root, 'ward', 'new.txt')}`,
        // Present at the start, its stats never read: a look reports it as changed.
        `change ${join(root, 'ward', 'kept.txt')}`,
        `unlink ${join(root, 'ward', 'gone.txt')}`,
      ].sort(),
    );
  });
});

describe('NativeWatchSource (out of watches)', () => {
  /** A source on `root` (its `wards` made first) with `watches` OS watches; what it says, in order. */
  async function shortOfWatches(
    wards: string[],
    watches: number,
    options: { retryMs?: number; maxRefused?: number } = {},
  ) {
    const root = tempRoot();
    for (const ward of wards) mkdirSync(join(root, ward), { recursive: true });
    const folders = watcherRunningOutAfter(watches);
    const seen: string[] = [];
    const source = new NativeWatchSource({ settleMs: 20, folders, ...options });
    cleanups.push(() => source.close());
    await source.start([root], {
      add: (path) => seen.push(`add ${path.slice(root.length)}`),
      change: () => {},
      unlink: () => {},
      error: (error) => seen.push(`error ${String(error)}`),
      recovered: () => seen.push('recovered'),
    });
    const until = async (done: () => boolean, what: string) => {
      const deadline = Date.now() + 5_000;
      while (!done()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; saw ${JSON.stringify(seen)}`);
        await settle(20);
      }
    };
    const said = () => seen.filter((line) => !line.startsWith('add')).map((line) => line.split(' (')[0]);
    const added = () => seen.filter((line) => line.startsWith('add'));
    return { root, folders, seen, until, said, added };
  }

  it('says once that it cannot watch more folders, and still watches the ones it could', async () => {
    const { root, seen, until, added } = await shortOfWatches(['a', 'b', 'c', 'd'], 2);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toContain('cannot watch more folders (ENOSPC');
    writeFileSync(join(root, 'top.txt'), 'x'); // the root itself is watched
    await until(() => added().length > 0, 'the file in the root');
    expect(added()).toEqual(['add /top.txt']);
  });

  it('watches the refused folders once watches free up, says so, and says a later shortage again', async () => {
    const wards = ['a', 'b', 'c', 'd'];
    const { root, seen, until, said, added } = await shortOfWatches(wards, 3);
    for (const ward of wards) writeFileSync(join(root, ward, 'x.txt'), 'x');
    await until(() => added().length === 2, 'the two wards watched');
    await settle();
    const watched = wards.filter((ward) => seen.includes(`add /${ward}/x.txt`));
    expect(watched).toHaveLength(2); // the root and two wards: three watches
    for (const ward of watched) rmSync(join(root, ward), { recursive: true });
    await until(() => seen.includes('recovered'), 'the refused wards watched');
    for (const ward of wards.filter((w) => !watched.includes(w))) writeFileSync(join(root, ward, 'y.txt'), 'y');
    await until(
      () => added().filter((line) => line.endsWith('y.txt')).length === 2,
      'files in the wards refused before',
    );
    for (const ward of ['e', 'f']) mkdirSync(join(root, ward));
    await until(() => said().length === 3, 'the shortage said again');
    expect(said()).toEqual([
      'error Error: cannot watch more folders',
      'recovered',
      'error Error: cannot watch more folders',
    ]);
  });

  it('never says the shortage is over when it refused more folders than it remembers', async () => {
    const wards = ['a', 'b', 'c', 'd'];
    const { root, folders, said, added } = await shortOfWatches(wards, 1, { retryMs: 20, maxRefused: 3 });
    folders.limit = 10; // room for all: the three remembered are watched again, the fourth never
    await settle(200); // a few tries of the retry
    for (const ward of wards) writeFileSync(join(root, ward, 'x.txt'), 'x');
    const deadline = Date.now() + 5_000;
    while (added().length < 3 && Date.now() < deadline) await settle(20);
    await settle(200);
    expect(added()).toHaveLength(3);
    expect(said()).toEqual(['error Error: cannot watch more folders']);
  });

  it('tries the refused folders again while it waits, as when an admin raises the OS limit', async () => {
    const { root, folders, seen, until, said } = await shortOfWatches(['a/bay', 'b/bay', 'c/bay'], 1, { retryMs: 30 });
    folders.limit = 7;
    await until(() => seen.includes('recovered'), 'every folder watched');
    writeFileSync(join(root, 'c', 'bay', 'z.txt'), 'z'); // a folder below one refused: walked when retried
    await until(() => seen.length === 3, 'the file below');
    expect(said()).toEqual(['error Error: cannot watch more folders', 'recovered']);
    expect(seen[2]).toBe('add /c/bay/z.txt');
  });
});

describe('firstEntries (folders found at run time are listed this far)', () => {
  it('reads a folder only up to the limit, and leaves no folder open', async () => {
    const root = tempRoot();
    for (let i = 0; i < 600; i++) writeFileSync(join(root, `f${i}`), '');
    mkdirSync(join(root, 'sub'));
    const openFds = () => readdirSync('/proc/self/fd').length;
    const before = openFds();
    for (let i = 0; i < 20; i++) expect(await firstEntries(root, 300)).toHaveLength(300);
    expect(openFds()).toBeLessThan(before + 5); // a folder left open each time would be 20 more (slack: the worker's own)
    const all = await firstEntries(root, 10_000);
    expect(all).toHaveLength(601);
    expect(all.filter((entry) => entry.isDirectory()).map((entry) => entry.name)).toEqual(['sub']);
    expect(await firstEntries(root, 0)).toEqual([]);
    await expect(firstEntries(join(root, 'missing'), 10)).rejects.toThrow(/ENOENT/);
  });
});

describe('addedFolderBound', () => {
  it("leaves half of the OS's watches to the configured folders", () => {
    expect(addedFolderBound(() => '8192\n')).toBe(4_096);
    expect(addedFolderBound(() => '1')).toBe(1);
  });

  it('takes 10,000 where the limit cannot be read or makes no sense', () => {
    expect(
      addedFolderBound(() => {
        throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
      }),
    ).toBe(10_000);
    expect(addedFolderBound(() => 'unlimited')).toBe(10_000);
    expect(addedFolderBound(() => '0')).toBe(10_000);
  });
});
