// Live on a temporary folder: real files, real chokidar.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ChokidarWatchSource } from './chokidar-watch-source';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('ChokidarWatchSource (live)', { timeout: 15_000 }, () => {
  it('watches a root added with a depth only so many levels down, and lets it go', async () => {
    const root = mkdtempSync(join(tmpdir(), 'ww-chokidar-'));
    cleanups.push(() => rmSync(root, { recursive: true, force: true }));
    const [watched, profile] = [join(root, 'watched'), join(root, 'profile')];
    mkdirSync(join(profile, 'a', 'b'), { recursive: true });
    mkdirSync(watched);
    writeFileSync(join(profile, 'a', 'before.txt'), 'there before'); // reported as added: the root is new
    writeFileSync(join(profile, 'a', 'b', 'before.txt'), 'too deep');
    const seen: string[] = [];
    const source = new ChokidarWatchSource();
    cleanups.push(() => source.close());
    await source.start([watched], {
      add: (path) => seen.push(`add ${path.slice(root.length)}`),
      change: (path) => seen.push(`change ${path.slice(root.length)}`),
      unlink: (path) => seen.push(`unlink ${path.slice(root.length)}`),
      error: (error) => seen.push(`error ${String(error)}`),
    });
    await source.addRoot(profile, 1);
    await new Promise((resolve) => setTimeout(resolve, 700)); // chokidar's own scan, and the source's second look
    writeFileSync(join(profile, 'top.txt'), 'x');
    writeFileSync(join(profile, 'a', 'b', 'deep.txt'), 'x');
    writeFileSync(join(profile, 'a', 'one-down.txt'), 'x');
    const until = async (what: string) => {
      for (const deadline = Date.now() + 5_000; !seen.includes(what);)
        if (Date.now() > deadline) throw new Error(`no ${what}; saw ${JSON.stringify(seen)}`);
        else await new Promise((resolve) => setTimeout(resolve, 20));
    };
    await until('add /profile/a/one-down.txt');
    await until('add /profile/top.txt');
    source.removeRoot(profile);
    writeFileSync(join(profile, 'after.txt'), 'x');
    writeFileSync(join(watched, 'marker.txt'), 'x');
    await until('add /watched/marker.txt');
    expect(seen.filter((line) => !line.includes('before.txt')).sort()).toEqual([
      'add /profile/a/one-down.txt',
      'add /profile/top.txt',
      'add /watched/marker.txt',
    ]);
    expect(seen.filter((line) => line.includes('before.txt'))).toContain('add /profile/a/before.txt');
    expect(seen.join()).not.toMatch(/deep|b\/before/);
  });
});
