import { execFileSync, spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { createResponseActions } from '../create-response-actions';
import { isRoot, OsFixture, type TestAccount } from './os-fixture.fixture';

const shadowLine = (name: string): string => execFileSync('getent', ['shadow', name], { encoding: 'utf8' }).trim();
/** root switching to the account: pam_rootok skips the password, but pam_unix's account check still refuses an expired account. */
const canSwitchTo = (name: string): boolean =>
  spawnSync('su', ['-s', '/bin/sh', '-c', 'true', name], { stdio: 'ignore' }).status === 0;

describe.skipIf(!isRoot)('disableAccount on this machine (root)', { timeout: 30_000 }, () => {
  const os = new OsFixture();
  afterAll(() => os.cleanup());
  const actions = createResponseActions({ platform: 'linux' });
  const ref = (a: TestAccount) => ({ name: a.name, uid: a.uid });

  it('locks and expires the account, and undo restores the shadow line exactly', async () => {
    const nurse = os.createAccount('Correct horse 1');
    const before = shadowLine(nurse.name);
    expect(canSwitchTo(nurse.name)).toBe(true);

    const start = Date.now();
    const outcome = await actions.disableAccount(ref(nurse), 3600, { dryRun: false });
    expect(outcome.ok).toBe(true);
    const fields = shadowLine(nurse.name).split(':');
    expect(fields[1].startsWith('!')).toBe(true);
    expect(fields[7]).toBe('1');
    expect(canSwitchTo(nurse.name)).toBe(false);
    expect(outcome.undo).toMatchObject({
      kind: 'enable_account',
      data: { name: nurse.name, uid: nurse.uid, wasLocked: false, previousExpireDays: '' },
    });
    expect(outcome.undo!.expiresAtMs).toBeGreaterThanOrEqual(start + 3_600_000);
    expect(outcome.undo!.expiresAtMs).toBeLessThanOrEqual(Date.now() + 3_600_000);

    const undone = await actions.undo(outcome.undo!, { dryRun: false });
    expect(undone.ok).toBe(true);
    expect(shadowLine(nurse.name)).toBe(before);
    expect(canSwitchTo(nurse.name)).toBe(true);
  });

  it('restores an expiry the account had, and leaves a lock that was there before', async () => {
    const nurse = os.createAccount('Correct horse 2');
    execFileSync('usermod', ['-L', '--expiredate', '30000', nurse.name]);
    const before = shadowLine(nurse.name);
    const outcome = await actions.disableAccount(ref(nurse), 60, { dryRun: false });
    expect(outcome.undo?.data).toMatchObject({ wasLocked: true, previousExpireDays: 30000 });
    expect(shadowLine(nurse.name).split(':')[7]).toBe('1');
    expect((await actions.undo(outcome.undo!, { dryRun: false })).ok).toBe(true);
    expect(shadowLine(nurse.name)).toBe(before);
  });

  it('dry run changes nothing and says what would run', async () => {
    const nurse = os.createAccount('Correct horse 3');
    const before = shadowLine(nurse.name);
    const outcome = await actions.disableAccount(ref(nurse), 60, { dryRun: true });
    expect(outcome).toMatchObject({
      ok: true,
      details: { dryRun: true, plan: [['usermod', '-L', '--expiredate', '1', '--', nurse.name]] },
    });
    expect(outcome.undo).toBeUndefined();
    expect(shadowLine(nurse.name)).toBe(before);
  });

  it('refuses root, system accounts, accounts not in passwd, a uid that does not match, option-like names', async () => {
    const nurse = os.createAccount();
    const rootBefore = shadowLine('root');
    for (const account of [
      { name: 'root', uid: 0 },
      { name: 'daemon', uid: 1 },
      { name: 'wwnosuchuser', uid: 4000 },
      { name: nurse.name, uid: nurse.uid + 1 },
      { name: '--help', uid: 4000 },
    ]) {
      expect(await actions.disableAccount(account, 60, { dryRun: false })).toMatchObject({
        ok: false,
        details: { refused: true },
      });
    }
    expect(shadowLine('root')).toBe(rootBefore);
  });
});
