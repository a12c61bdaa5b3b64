// Opening a sealed file at the tray inside the agent: IT staff's maintenance code →
// ResponseService → AuthorisedOpen (policy folders) → the unwrap, with the signed-in
// user's pseudonym and the reason naming the code (what the manager audits).
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AuthorisedOpen } from '../protection/sealing/authorised-open';
import { sealFile } from '../protection/sealing/sealed-file';
import { testKek } from '../protection/sealing/sealing.fixture';
import { buildResponseService, pseudonym } from './response-service.fixture';
import { makeCommandKey, maintenanceCode, tempDataDir } from './response-test-kit.fixture';

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const done of cleanup.splice(0)) done();
});

async function sealedWorkstation(sessions?: { user: string; tty: string; from: string; startMs: number }[]) {
  const dir = tempDataDir();
  const scans = join(dir, 'Scans');
  mkdirSync(scans);
  writeFileSync(join(scans, 'xray.txt'), 'x-ray of bed 7');
  const key = testKek();
  const sealed = await sealFile(join(scans, 'xray.txt'), key.kek, { policyVersion: 2 });
  const asked: { userToken: string; reason: string }[] = [];
  const opener = new AuthorisedOpen({
    folders: () => [scans],
    openedDir: join(dir, 'opened'),
    unwrap: (request, userToken, reason) => {
      asked.push({ userToken, reason });
      return key.unwrap(request);
    },
  });
  const built = buildResponseService({ sealedOpener: opener, ...(sessions ? { sessions } : {}) });
  cleanup.push(() => built.service.stop());
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return { ...built, dir, sealed, asked };
}

describe('ResponseService: open a sealed file at the tray', () => {
  it('opens for the signed-in user with a maintenance code, once per code', async () => {
    const t = await sealedWorkstation();
    const code = maintenanceCode(t.key);
    const request = { path: t.sealed, reason: 'GP needs the x-ray', code };
    await expect(t.service.openSealed({ ...request, code: maintenanceCode(makeCommandKey()) })).rejects.toMatchObject({
      status: 403,
    });
    expect(t.asked).toEqual([]);
    const opened = await t.service.openSealed(request);
    expect(opened).toEqual({ out: join(t.dir, 'opened', 'xray.txt'), policyVersion: 2 });
    expect(readFileSync(opened.out, 'utf8')).toBe('x-ray of bed 7');
    expect(t.asked).toHaveLength(1);
    expect(t.asked[0]?.userToken).toBe(pseudonym('nurse1'));
    expect(t.asked[0]?.reason).toMatch(/^GP needs the x-ray \(code [\w-]+\)$/);
    await expect(t.service.openSealed(request)).rejects.toMatchObject({ status: 403 });
  });

  it('refuses a file outside the policy folders (403) and opens nothing when nobody is signed in (409)', async () => {
    const t = await sealedWorkstation();
    const outside = join(t.dir, 'elsewhere.txt');
    writeFileSync(outside, 'x');
    const elsewhere = await sealFile(outside, testKek().kek, { policyVersion: 1 });
    await expect(
      t.service.openSealed({ path: elsewhere, reason: 'looking around', code: maintenanceCode(t.key) }),
    ).rejects.toMatchObject({ status: 403 });
    const nobody = await sealedWorkstation([]);
    await expect(
      nobody.service.openSealed({ path: nobody.sealed, reason: 'GP needs it', code: maintenanceCode(nobody.key) }),
    ).rejects.toMatchObject({ status: 409 });
    expect(nobody.asked).toEqual([]);
  });
});
