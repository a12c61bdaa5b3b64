import { mkdirSync, mkdtempSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FolderSealer } from '../../protection/sealing/folder-sealer';
import { unsealFile } from '../../protection/sealing/sealed-file';
import { testKek } from '../../protection/sealing/sealing.fixture';
import { FolderSealingTarget } from './folder-sealing-target';

const targets: FolderSealingTarget[] = [];
afterEach(async () => {
  await Promise.all(targets.splice(0).map((t) => t.stop()));
});

function sut(settleMs = 0) {
  const home = mkdtempSync(join(tmpdir(), 'ww-seal-home-'));
  const scans = join(home, 'Scans');
  mkdirSync(scans);
  const key = testKek();
  const target = new FolderSealingTarget({
    sealer: new FolderSealer({ kek: () => Promise.resolve(key.kek), settleMs, chunkBytes: 1_024 }),
    home,
    sweepMs: 3_600_000,
  });
  targets.push(target);
  return { home, scans, key, target };
}

const on = { enabled: true, folders: ['~/Scans'] };

describe('FolderSealingTarget', () => {
  it('seals what is there at configure, then new files at the next sweep, with the policy version', async () => {
    const t = sut();
    writeFileSync(join(t.scans, 'ct-1.dcm'), 'scan one');
    expect(await t.target.configure(on, 7)).toEqual({ detail: '1 files sealed' });
    writeFileSync(join(t.scans, 'ct-2.dcm'), 'scan two');
    await t.target.sweepNow();
    expect(readdirSync(t.scans).sort()).toEqual(['ct-1.dcm.wwsealed', 'ct-2.dcm.wwsealed']);
    expect(t.target.status()).toEqual({ state: 'applied', detail: '1 folders: 2 files sealed' });
    const header = await unsealFile(join(t.scans, 'ct-2.dcm.wwsealed'), join(t.home, 'out.dcm'), t.key.unwrap);
    expect(header.policyVersion).toBe(7);
  });

  it('leaves a file still being written for a later sweep', async () => {
    const t = sut(60_000);
    writeFileSync(join(t.scans, 'fresh.pdf'), 'being written');
    writeFileSync(join(t.scans, 'old.pdf'), 'written an hour ago');
    const hourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(join(t.scans, 'old.pdf'), hourAgo, hourAgo);
    await t.target.configure(on, 1);
    expect(readdirSync(t.scans).sort()).toEqual(['fresh.pdf', 'old.pdf.wwsealed']);
  });

  it('once turned off, sweeps seal nothing more', async () => {
    const t = sut();
    await t.target.configure(on, 1);
    await t.target.configure({ enabled: false, folders: ['~/Scans'] }, 2);
    writeFileSync(join(t.scans, 'after.pdf'), 'x');
    await t.target.sweepNow();
    expect(readdirSync(t.scans)).toEqual(['after.pdf']);
    expect(t.target.status()?.state).toBe('not_applicable');
  });

  it('what cannot be sealed makes the setting failed, naming the error kind and never the path', async () => {
    const t = sut();
    // A "folder" of the policy that is a file named after a patient: it cannot be read as a folder.
    const named = join(t.home, 'Smith-John');
    writeFileSync(named, 'x');
    await t.target.configure({ enabled: true, folders: ['~/Scans', '~/Smith-John'] }, 1);
    const status = t.target.status();
    expect(status?.state).toBe('failed');
    expect(status?.detail).toBe('2 folders: 0 files sealed, 1 failed (ENOTDIR)');
  });
});
