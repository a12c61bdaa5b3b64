import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { restoreFiles, type RestoreRequest } from './file-restorer';
import { storeKit, type StoreKit } from './version-store.fixture';

const kits: StoreKit[] = [];
afterEach(() => {
  for (const k of kits.splice(0)) rmSync(k.root, { recursive: true, force: true });
});

const pause = () => new Promise((resolve) => setTimeout(resolve, 20));

/** A folder of six files copied, then an "attack" from `since` (real clock: birth times are real). */
async function attacked() {
  const k = storeKit();
  kits.push(k);
  const store = await k.open();
  const at = (name: string) => join(k.folder, name);
  mkdirSync(at('sub'));
  // Here before the time, but never copied (no version): must never be deleted.
  writeFileSync(at('old-unknown.locked'), 'was here before');
  const before: Record<string, string> = {
    'kept.txt': 'untouched by the attack',
    'overwritten.docx': 'letter to the GP',
    'deleted.pdf': 'lab results',
    'renamed.xlsx': 'drug chart',
    'sub/deep.txt': 'in a sub-folder',
    'edited-after.txt': 'first draft',
  };
  for (const [name, text] of Object.entries(before)) {
    writeFileSync(at(name), text);
    await store.snapshot(at(name), k.files);
  }
  await pause();
  const since = Date.now();
  await pause();
  const created = new Map<string, number>();
  writeFileSync(at('overwritten.docx'), Buffer.alloc(64, 0xee));
  unlinkSync(at('deleted.pdf'));
  writeFileSync(at('renamed.xlsx.locked'), Buffer.alloc(64, 0xaa));
  unlinkSync(at('renamed.xlsx'));
  created.set(at('renamed.xlsx.locked'), Date.now());
  rmSync(at('sub'), { recursive: true });
  writeFileSync(at('README-RESTORE.locked'), 'pay us');
  created.set(at('README-RESTORE.locked'), Date.now());
  writeFileSync(at('new-note.txt'), 'a nurse wrote this after the attack began');
  created.set(at('new-note.txt'), Date.now());
  writeFileSync(at('edited-after.txt'), 'second draft');
  const deps = {
    store,
    files: k.files,
    createdAt: (path: string) => created.get(path) ?? null,
    maxFileBytes: 1_048_576,
  };
  return { k, at, before, deps, since };
}

const request = (k: StoreKit, since: number, over: Partial<RestoreRequest> = {}): RestoreRequest => ({
  folders: [k.folder],
  since,
  removeCreatedExtensions: ['.locked'],
  dryRun: false,
  ...over,
});

describe('restoreFiles', () => {
  it('puts back exactly the changed and deleted files, removes only new files of the pattern', async () => {
    const { k, at, before, deps, since } = await attacked();
    const report = await restoreFiles(request(k, since), deps);
    for (const [name, text] of Object.entries(before)) expect(readFileSync(at(name), 'utf8')).toBe(text);
    expect(existsSync(at('renamed.xlsx.locked'))).toBe(false);
    expect(existsSync(at('README-RESTORE.locked'))).toBe(false);
    expect(readFileSync(at('new-note.txt'), 'utf8')).toContain('nurse');
    expect(readFileSync(at('old-unknown.locked'), 'utf8')).toBe('was here before');
    expect(report).toMatchObject({ changed: 5, restored: 5, failed: 0, removed: 2, keptNew: 1, unchanged: 1 });
  });

  it('changes nothing in a dry run, and counts the same', async () => {
    const { k, at, deps, since } = await attacked();
    const report = await restoreFiles(request(k, since, { dryRun: true }), deps);
    expect(existsSync(at('deleted.pdf'))).toBe(false);
    expect(existsSync(at('README-RESTORE.locked'))).toBe(true);
    expect(report).toMatchObject({ changed: 5, restored: 0, removed: 2 });
  });

  it('removes no new file when no pattern is given', async () => {
    const { k, at, deps, since } = await attacked();
    const report = await restoreFiles(request(k, since, { removeCreatedExtensions: [] }), deps);
    expect(existsSync(at('README-RESTORE.locked'))).toBe(true);
    expect(report).toMatchObject({ restored: 5, removed: 0, keptNew: 3 });
  });

  it('counts a tampered version as failed and writes nothing for it', async () => {
    const { k, at, deps, since } = await attacked();
    const version = deps.store.versions.latest(at('deleted.pdf'))!;
    const blob = join(k.dataDir, 'versions', 'blobs', version.id);
    const sealed = readFileSync(blob);
    sealed[sealed.length - 1] ^= 1;
    writeFileSync(blob, sealed);
    const report = await restoreFiles(request(k, since), deps);
    expect(existsSync(at('deleted.pdf'))).toBe(false);
    expect(report).toMatchObject({ changed: 5, restored: 4, failed: 1 });
  });

  it('leaves files outside the folders asked for alone', async () => {
    const { k, at, deps, since } = await attacked();
    const report = await restoreFiles(request(k, since, { folders: [at('elsewhere')] }), deps);
    expect(existsSync(at('deleted.pdf'))).toBe(false);
    expect(report.changed).toBe(0);
  });
});

describe('restoreFiles and links', () => {
  it('never writes through a sub-folder replaced by a link to elsewhere', async () => {
    const { k, at, deps, since } = await attacked();
    const outside = join(k.root, 'outside');
    mkdirSync(outside);
    symlinkSync(outside, at('sub')); // sub/ was deleted by the attack; a link takes its place
    const report = await restoreFiles(request(k, since), deps);
    expect(readdirSync(outside)).toEqual([]);
    expect(report).toMatchObject({ changed: 5, restored: 4, failed: 1 });
  });
});
