import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuthorisedOpen } from './authorised-open';
import { sealFile } from './sealed-file';
import { testKek } from './sealing.fixture';

async function sut() {
  const root = mkdtempSync(join(tmpdir(), 'ww-open-'));
  const scans = join(root, 'Scans');
  const elsewhere = join(root, 'elsewhere');
  mkdirSync(scans);
  mkdirSync(elsewhere);
  const key = testKek();
  writeFileSync(join(scans, 'ct.txt'), 'scan of bed 4');
  writeFileSync(join(elsewhere, 'other.txt'), 'not in a policy folder');
  const inside = await sealFile(join(scans, 'ct.txt'), key.kek, { policyVersion: 5 });
  const outside = await sealFile(join(elsewhere, 'other.txt'), key.kek, { policyVersion: 5 });
  const asked: { userToken: string; reason: string }[] = [];
  const open = new AuthorisedOpen({
    folders: () => [scans],
    openedDir: join(root, 'opened'),
    unwrap: (request, userToken, reason) => {
      asked.push({ userToken, reason });
      return key.unwrap(request);
    },
  });
  return { root, scans, inside, outside, open, asked };
}

describe('AuthorisedOpen', () => {
  it('opens a sealed file of a policy folder into the opened folder, the sealed file kept', async () => {
    const t = await sut();
    const result = await t.open.open({ path: t.inside, userToken: 'u_abc', reason: 'GP asked for the scan' });
    expect(result).toMatchObject({ out: join(t.root, 'opened', 'ct.txt'), policyVersion: 5 });
    expect(readFileSync(result.out, 'utf8')).toBe('scan of bed 4');
    expect(readFileSync(t.inside).subarray(0, 4).toString()).toBe('WWSL');
    expect(t.asked).toEqual([{ userToken: 'u_abc', reason: 'GP asked for the scan' }]);
  });

  it('refuses a file outside the policy folders, a link out of them, and a missing reason, asking nothing', async () => {
    const t = await sut();
    await expect(t.open.open({ path: t.outside, userToken: 'u_abc', reason: 'looking around' })).rejects.toMatchObject({
      code: 'not_allowed',
    });
    const link = join(t.scans, 'link.txt.wwsealed');
    symlinkSync(t.outside, link);
    await expect(t.open.open({ path: link, userToken: 'u_abc', reason: 'through a link' })).rejects.toMatchObject({
      code: 'not_allowed',
    });
    await expect(t.open.open({ path: t.inside, userToken: 'u_abc', reason: '  ' })).rejects.toMatchObject({
      code: 'bad_input',
    });
    expect(t.asked).toEqual([]);
  });

  it('refuses an opened folder inside a sealed folder (a sweep would seal the copy again)', async () => {
    const t = await sut();
    const open = new AuthorisedOpen({
      folders: () => [t.scans],
      openedDir: join(t.scans, 'opened'),
      unwrap: () => Promise.reject(new Error('never asked')),
    });
    await expect(open.open({ path: t.inside, userToken: 'u_abc', reason: 'GP asked for it' })).rejects.toMatchObject({
      code: 'not_allowed',
    });
  });
});
