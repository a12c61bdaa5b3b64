import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { storeKit, type StoreKit } from './version-store.fixture';
import { VersionUnreadableError } from './version-store';

const kits: StoreKit[] = [];
function kit(): StoreKit {
  const made = storeKit();
  kits.push(made);
  return made;
}
afterEach(() => {
  for (const k of kits.splice(0)) rmSync(k.root, { recursive: true, force: true });
});

function blobs(k: StoreKit): string[] {
  return readdirSync(join(k.dataDir, 'versions', 'blobs'));
}

describe('VersionStore', () => {
  it('gives back exactly the bytes it copied, sealed on disk, owner-only', async () => {
    const k = kit();
    const store = await k.open();
    const path = join(k.folder, 'chart.pdf');
    const content = Buffer.from('%PDF-1.7 discharge letter for bed 12 '.repeat(100));
    writeFileSync(path, content);
    expect(await store.snapshot(path, k.files)).toBe('stored');
    const version = store.versions.latest(path)!;
    expect((await store.contentOf(version)).equals(content)).toBe(true);
    const [blob] = blobs(k);
    const onDisk = readFileSync(join(k.dataDir, 'versions', 'blobs', blob));
    expect(onDisk.includes(Buffer.from('discharge letter'))).toBe(false);
    expect(statSync(join(k.dataDir, 'versions', 'blobs', blob)).mode & 0o777).toBe(0o600);
    expect(statSync(join(k.dataDir, 'versions')).mode & 0o777).toBe(0o700);
    expect(statSync(join(k.dataDir, 'versions.key')).mode & 0o777).toBe(0o600);
    // The blob's name is not the plain SHA-256 of the content.
    const { createHash } = await import('node:crypto');
    expect(blob).not.toBe(createHash('sha256').update(content).digest('hex'));
  });

  it('stores one content once, and an unchanged file adds no version', async () => {
    const k = kit();
    let clock = 1_000;
    const store = await k.open({ now: () => clock++ });
    const same = Buffer.from('same letter head');
    for (const name of ['a.docx', 'b.docx', 'c.docx']) writeFileSync(join(k.folder, name), same);
    expect(await store.snapshot(join(k.folder, 'a.docx'), k.files)).toBe('stored');
    expect(await store.snapshot(join(k.folder, 'b.docx'), k.files)).toBe('deduped');
    expect(await store.snapshot(join(k.folder, 'c.docx'), k.files)).toBe('deduped');
    expect(await store.snapshot(join(k.folder, 'a.docx'), k.files)).toBe('unchanged');
    // Same size and mtime rewritten with the same bytes: still nothing new.
    writeFileSync(join(k.folder, 'a.docx'), same);
    expect(await store.snapshot(join(k.folder, 'a.docx'), k.files)).toBe('unchanged');
    expect(store.stats()).toMatchObject({ blobs: 1, versions: 3 });
    expect(blobs(k)).toHaveLength(1);
  });

  it('keeps within its budget by evicting the oldest versions first', async () => {
    const k = kit();
    let clock = 1_000;
    const store = await k.open({ budgetBytes: 10_000, now: () => (clock += 10) });
    const paths: string[] = [];
    for (let i = 0; i < 8; i++) {
      const path = join(k.folder, `scan-${i}.tif`);
      writeFileSync(path, Buffer.alloc(2_000, i + 1));
      paths.push(path);
      await store.snapshot(path, k.files);
      expect(store.stats().bytes).toBeLessThanOrEqual(10_000);
    }
    const kept = paths.filter((p) => store.versions.latest(p));
    // Each sealed blob is 2,000 + 28 bytes: four fit, the four newest stay.
    expect(kept).toEqual(paths.slice(4));
    expect(store.stats().evicted).toBe(4);
    expect(blobs(k)).toHaveLength(4);
  });

  it('refuses a version whose blob was altered (GCM), and one moved under another name', async () => {
    const k = kit();
    const store = await k.open();
    const a = join(k.folder, 'a.txt');
    const b = join(k.folder, 'b.txt');
    writeFileSync(a, 'allergies: penicillin');
    writeFileSync(b, 'allergies: none');
    await store.snapshot(a, k.files);
    await store.snapshot(b, k.files);
    const va = store.versions.latest(a)!;
    const vb = store.versions.latest(b)!;
    const blobA = join(k.dataDir, 'versions', 'blobs', va.id);
    const blobB = join(k.dataDir, 'versions', 'blobs', vb.id);
    const sealedB = readFileSync(blobB);
    const altered = readFileSync(blobA);
    altered[altered.length - 20] ^= 0x01;
    writeFileSync(blobA, altered);
    await expect(store.contentOf(va)).rejects.toBeInstanceOf(VersionUnreadableError);
    writeFileSync(blobA, sealedB); // b's intact blob under a's name
    await expect(store.contentOf(va)).rejects.toBeInstanceOf(VersionUnreadableError);
  });

  it('keeps its versions across a restart, and drops blobs no index names', async () => {
    const k = kit();
    let clock = 5_000;
    const first = await k.open({ now: () => clock++ });
    const path = join(k.folder, 'notes.txt');
    writeFileSync(path, 'ward round 08:00');
    await first.snapshot(path, k.files);
    await first.flush();
    const version = first.versions.latest(path)!;
    writeFileSync(join(k.dataDir, 'versions', 'blobs', 'f'.repeat(64)), 'orphan of a crash');
    const second = await k.open({ now: () => clock++ });
    expect(second.versions.latest(path)).toEqual(version);
    expect((await second.contentOf(version)).toString()).toBe('ward round 08:00');
    expect(blobs(k)).toEqual([version.id]);
  });

  it('starts empty (never trusting it) when the index was altered', async () => {
    const k = kit();
    const first = await k.open();
    const path = join(k.folder, 'notes.txt');
    writeFileSync(path, 'x');
    await first.snapshot(path, k.files);
    await first.flush();
    const indexPath = join(k.dataDir, 'versions', 'index.sealed');
    const sealed = readFileSync(indexPath);
    sealed[20] ^= 0xff;
    writeFileSync(indexPath, sealed);
    const second = await k.open();
    expect(second.versions.latest(path)).toBeUndefined();
    expect(blobs(k)).toEqual([]);
  });
});
