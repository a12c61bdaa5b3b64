import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { VersionWatcher } from './version-watcher';
import { quietLogger, storeKit, type StoreKit } from './version-store.fixture';

const kits: StoreKit[] = [];
afterEach(() => {
  for (const k of kits.splice(0)) rmSync(k.root, { recursive: true, force: true });
});

async function setup(options: { maxPending?: number; maxQueue?: number } = {}) {
  const k = storeKit();
  kits.push(k);
  const clock = { now: 1_000_000 };
  const store = await k.open({ now: () => clock.now });
  const watcher = new VersionWatcher({
    store,
    files: k.files,
    folders: [k.folder],
    quietMs: 600_000,
    sweepMs: 3_600_000, // the test sweeps by hand
    now: () => clock.now,
    logger: quietLogger(),
    ...options,
  });
  return { k, clock, store, watcher };
}

describe('VersionWatcher', () => {
  it('copies what is there at start, then a changed file only after its quiet period', async () => {
    const { k, clock, store, watcher } = await setup();
    const path = join(k.folder, 'letter.docx');
    writeFileSync(path, 'before');
    watcher.start();
    await waitFor(() => store.versions.latest(path) !== undefined);
    const first = store.versions.latest(path)!;

    writeFileSync(path, 'encrypted garbage');
    watcher.observe('write', path);
    clock.now += 599_000;
    watcher.sweep();
    await watcher.idle();
    expect(store.versions.latest(path)).toEqual(first); // still the pre-change content

    watcher.observe('write', path); // still changing: the quiet period starts again
    clock.now += 599_000;
    watcher.sweep();
    await watcher.idle();
    expect(store.versions.latest(path)).toEqual(first);

    clock.now += 2_000;
    watcher.sweep();
    await watcher.idle();
    expect(store.versions.latest(path)!.takenAt).toBe(clock.now);
    expect(store.versions.before(path, clock.now)).toEqual(first);
    await watcher.stop();
  });

  it('notes only files under the protected folders, and when one was created', async () => {
    const { k, clock, watcher } = await setup();
    watcher.observe('create', '/elsewhere/x.txt');
    watcher.observe('create', join(k.folder, 'new.txt'));
    expect(watcher.stats().pending).toBe(1);
    expect(watcher.createdAt(join(k.folder, 'new.txt'))).toBe(clock.now);
    watcher.observe('delete', join(k.folder, 'new.txt'));
    expect(watcher.stats().pending).toBe(0);
  });

  it('bounds what waits: the oldest pending file is dropped (counted), the queue never grows past its cap', async () => {
    const { k, clock, watcher } = await setup({ maxPending: 100, maxQueue: 10 });
    for (let i = 0; i < 150; i++) watcher.observe('write', join(k.folder, `f${i}.txt`));
    expect(watcher.stats()).toMatchObject({ pending: 100, droppedPending: 50 });
    clock.now += 600_000;
    watcher.sweep();
    expect(watcher.stats().queued).toBeLessThanOrEqual(10);
    expect(watcher.stats().pending).toBeGreaterThanOrEqual(90);
    await watcher.idle();
  });

  it('observe does no I/O: 100,000 events take well under a second', async () => {
    const { k, watcher } = await setup();
    const paths = Array.from({ length: 1_000 }, (_, i) => join(k.folder, `f${i}.txt`));
    const started = performance.now();
    for (let i = 0; i < 100_000; i++) watcher.observe('write', paths[i % 1_000]);
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});

async function waitFor(check: () => boolean): Promise<void> {
  const until = Date.now() + 5_000;
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
