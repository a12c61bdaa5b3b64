import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../logging/logger';
import { FolderPresence } from './folder-presence';
import type { WatchedFolder } from './watched-folder';

const roots: string[] = [];
afterEach(async () => {
  for (const root of roots.splice(0)) await rm(root, { recursive: true, force: true });
});

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !check(); i += 1) await new Promise((resolve) => setTimeout(resolve, 20));
  expect(check()).toBe(true);
}

describe('FolderPresence', () => {
  it('follows a configured folder that is missing, appears, vanishes and returns', async () => {
    const root = await mkdtemp(join(tmpdir(), 'presence-'));
    roots.push(root);
    const here: WatchedFolder = { path: join(root, 'here'), class: 'phi' };
    const later: WatchedFolder = { path: join(root, 'later'), class: 'other' };
    await mkdir(here.path);
    const seen: string[] = [];
    const logger = createMemoryLogger();
    const presence = new FolderPresence({
      folders: [here, later],
      logger,
      checkMs: 20,
      appeared: (folder) => Promise.resolve(void seen.push(`+${folder.path}`)),
      vanished: (folder) => void seen.push(`-${folder.path}`),
      discoverMs: 20,
      found: () => Promise.resolve(),
      lost: () => undefined,
    });
    expect(await presence.presentNow()).toEqual([here]);
    await presence.follow();
    await mkdir(later.path);
    await until(() => seen.length === 1);
    await rm(here.path, { recursive: true });
    await until(() => seen.length === 2);
    await mkdir(here.path);
    await until(() => seen.length === 3);
    presence.stop();
    expect(seen).toEqual([`+${later.path}`, `-${here.path}`, `+${here.path}`]);
    // Said without the path: it may name a ward or a person.
    expect(JSON.stringify(logger.lines)).not.toContain(root);
    expect(logger.lines.map((line) => line.msg)).toContain('watched folder missing, waiting for it');
  });

  it('watches what discovery finds, once, and lets go of what it no longer finds', async () => {
    const logger = createMemoryLogger();
    let finds: WatchedFolder[] = [{ path: '/home/a/Sync', class: 'other', copiesOnly: true }];
    const seen: string[] = [];
    const presence = new FolderPresence({
      folders: [],
      logger,
      checkMs: 1_000,
      appeared: () => Promise.resolve(),
      vanished: () => undefined,
      discover: () => (finds.length ? Promise.resolve(finds) : Promise.reject(new Error('no passwd'))),
      discoverMs: 20,
      found: (folder) => Promise.resolve(void seen.push(`+${folder.path}`)),
      lost: (path) => void seen.push(`-${path}`),
    });
    await presence.follow();
    expect(seen).toEqual(['+/home/a/Sync']);
    finds = [];
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(seen).toEqual(['+/home/a/Sync']); // a failed look lets go of nothing
    expect(JSON.stringify(logger.lines)).toContain('folders to watch not found');
    finds = [{ path: '/home/b/Sync', class: 'other' }];
    await until(() => seen.length === 3);
    presence.stop();
    expect(seen).toEqual(['+/home/a/Sync', '-/home/a/Sync', '+/home/b/Sync']);
  });
});
