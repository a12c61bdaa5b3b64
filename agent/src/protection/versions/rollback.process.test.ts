// End to end on the agent side, with real files and a real attacking process: the
// real file collector → VersionSink → VersionWatcher → VersionStore; a child process
// encrypts, renames and deletes 50 files; a restore to the attack's start must put
// every byte back and remove only the attack's new files.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { RecordingSink } from '../../collectors/collector-test-sink.fixture';
import { FileCollector } from '../../collectors/files/file-collector';
import { restoreFiles } from './file-restorer';
import { VersionSink } from './version-sink';
import { quietLogger, storeKit, type StoreKit } from './version-store.fixture';
import { VersionWatcher } from './version-watcher';

const run = promisify(execFile);
const LOCKER = join(__dirname, 'locker-child.fixture.mjs');
const kits: StoreKit[] = [];
afterEach(() => {
  for (const k of kits.splice(0)) rmSync(k.root, { recursive: true, force: true });
});

describe('rollback after a real ransomware-like process', () => {
  it('restores all 50 files byte for byte and removes only the attack’s new files', async () => {
    const k = storeKit('ww-rollback-');
    kits.push(k);
    const originals = new Map<string, Buffer>();
    for (let i = 0; i < 50; i++) {
      const name = `patient-${String(i).padStart(2, '0')}.pdf`;
      const content = randomBytes(1_000 + i * 97);
      writeFileSync(join(k.folder, name), content);
      originals.set(name, content);
    }
    // A file of the same content twice: stored once.
    writeFileSync(join(k.folder, 'copy-of-00.pdf'), originals.get('patient-00.pdf')!);
    originals.set('copy-of-00.pdf', originals.get('patient-00.pdf')!);

    const store = await k.open();
    const watcher = new VersionWatcher({
      store,
      files: k.files,
      folders: [k.folder],
      quietMs: 600_000,
      logger: quietLogger(),
    });
    const recorded = new RecordingSink();
    const collector = new FileCollector({ folders: [{ path: k.folder, class: 'phi' }], logger: quietLogger() });
    await collector.start(new VersionSink(recorded, watcher));
    watcher.start();
    await waitFor(() => store.stats().versions === 51);
    expect(store.stats().blobs).toBe(50);

    await new Promise((resolve) => setTimeout(resolve, 10)); // the attack starts after the last copy
    const since = Date.now();
    const { stdout } = await run(process.execPath, [LOCKER, '--folder', k.folder]);
    const done = JSON.parse(stdout) as Record<'overwritten' | 'renamed' | 'deleted', string[]>;
    const touched = done.overwritten.length + done.renamed.length + done.deleted.length;
    expect(touched).toBe(51);
    // The collector reported the attack; the watcher noted the new files (no copy yet: quiet period).
    await recorded.waitFor((s) => (s.events.length >= 51 + done.renamed.length ? true : undefined), 'events');
    await waitFor(() => watcher.createdAt(join(k.folder, 'HOW-TO-RECOVER.locked')) !== null);
    await new Promise((resolve) => setTimeout(resolve, 400)); // the rename pairer's window

    const report = await watcher.exclusive(() =>
      restoreFiles(
        { folders: [k.folder], since, removeCreatedExtensions: ['.locked'], dryRun: false },
        { store, files: k.files, createdAt: (p) => watcher.createdAt(p), maxFileBytes: 16 * 1_048_576 },
      ),
    );
    await collector.stop();
    await watcher.stop();

    expect(report).toMatchObject({ changed: 51, restored: 51, failed: 0, removed: done.renamed.length + 1 });
    expect(readdirSync(k.folder).sort()).toEqual([...originals.keys()].sort());
    for (const [name, content] of originals) expect(readFileSync(join(k.folder, name)).equals(content)).toBe(true);
    expect(existsSync(join(k.folder, 'HOW-TO-RECOVER.locked'))).toBe(false);
  }, 30_000);
});

async function waitFor(check: () => boolean): Promise<void> {
  const until = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
