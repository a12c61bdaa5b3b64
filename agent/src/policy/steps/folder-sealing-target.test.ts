import { mkdirSync, mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FolderSealer } from '../../protection/sealing/folder-sealer';
import { FolderUnsealer } from '../../protection/sealing/folder-unsealer';
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
  /** Every unwrap the bulk unseal asked for, with its reason (the manager audits each one). */
  const unwraps: string[] = [];
  /** Set to make the "manager" refuse, as when it is out of reach. */
  const manager = { down: false };
  const target = new FolderSealingTarget({
    sealer: new FolderSealer({ kek: () => Promise.resolve(key.kek), settleMs, chunkBytes: 1_024 }),
    unsealer: new FolderUnsealer({
      unwrap: (reason) => (request) => {
        if (manager.down) return Promise.reject(new Error('UNAVAILABLE: manager out of reach'));
        unwraps.push(reason);
        return key.unwrap(request);
      },
    }),
    home,
    sweepMs: 3_600_000,
  });
  targets.push(target);
  return { home, scans, key, target, unwraps, manager };
}

const on = { enabled: true, folders: ['~/Scans'], unsealOnDrop: false };

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
    await t.target.configure({ enabled: false, folders: ['~/Scans'], unsealOnDrop: false }, 2);
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
    await t.target.configure({ enabled: true, folders: ['~/Scans', '~/Smith-John'], unsealOnDrop: false }, 1);
    const status = t.target.status();
    expect(status?.state).toBe('failed');
    expect(status?.detail).toBe('2 folders: 0 files sealed, 1 failed (ENOTDIR)');
  });

  it('a tier that drops with unsealOnDrop opens the dropped folders again in place, one unwrap per file', async () => {
    const t = sut();
    const exports = join(t.home, 'Exports');
    mkdirSync(join(exports, 'ward3'), { recursive: true });
    mkdirSync(join(exports, 'icu'));
    writeFileSync(join(exports, 'icu', 'chart.pdf'), 'icu chart');
    writeFileSync(join(t.scans, 'ct-1.dcm'), 'scan one');
    writeFileSync(join(exports, 'ward3', 'discharges.csv'), 'bed,letter');
    await t.target.configure({ enabled: true, folders: ['~/Scans', '~/Exports'], unsealOnDrop: false }, 4);
    expect(readdirSync(join(exports, 'ward3'))).toEqual(['discharges.csv.wwsealed']);

    // The lower tier still seals ~/Scans and ~/Exports/icu: only the rest of ~/Exports is opened again.
    const lower = { enabled: true, folders: ['~/Scans', '~/Exports/icu'], unsealOnDrop: true };
    const answer = await t.target.configure(lower, 5);
    expect(answer).toEqual({ detail: '0 files sealed, bulk unseal: 1 files unsealed', unsealed: 1 });
    expect(readdirSync(join(exports, 'ward3'))).toEqual(['discharges.csv']);
    expect(readFileSync(join(exports, 'ward3', 'discharges.csv'), 'utf8')).toBe('bed,letter');
    expect(readdirSync(t.scans)).toEqual(['ct-1.dcm.wwsealed']);
    expect(readdirSync(join(exports, 'icu'))).toEqual(['chart.pdf.wwsealed']);
    expect(t.unwraps).toEqual(['bulk unseal: the tier dropped (policy version 5)']);
  });

  it('without the flag a drop leaves files sealed; with the manager down they stay sealed and are retried', async () => {
    const t = sut();
    writeFileSync(join(t.scans, 'a.pdf'), 'a');
    writeFileSync(join(t.scans, 'b.pdf'), 'b');
    await t.target.configure(on, 1);
    await t.target.configure({ enabled: false, folders: [], unsealOnDrop: false }, 2);
    expect(readdirSync(t.scans).sort()).toEqual(['a.pdf.wwsealed', 'b.pdf.wwsealed']);
    expect(t.target.status()).toEqual({ state: 'not_applicable', detail: 'sealing is off in this tier' });

    await t.target.configure(on, 3);
    t.manager.down = true;
    const answer = await t.target.configure({ enabled: false, folders: [], unsealOnDrop: true }, 4);
    expect(answer.unsealed).toBe(0);
    expect(readdirSync(t.scans).sort()).toEqual(['a.pdf.wwsealed', 'b.pdf.wwsealed']);
    expect(t.target.status()).toEqual({
      state: 'failed',
      detail: 'sealing is off in this tier; bulk unseal: 0 files unsealed, 2 still sealed (seal error)',
    });
    t.manager.down = false;
    await t.target.sweepNow();
    expect(readdirSync(t.scans).sort()).toEqual(['a.pdf', 'b.pdf']);
    expect(t.target.status()).toEqual({
      state: 'applied',
      detail: 'sealing is off in this tier; bulk unseal: 2 files unsealed',
    });
    // Done: later sweeps ask the manager for nothing more.
    await t.target.sweepNow();
    expect(t.unwraps).toHaveLength(2);
  });
});
