import { afterAll, describe, expect, it } from 'vitest';
import { createResponseActions } from '../create-response-actions';
import { isRoot, newMark, OsFixture, pidsOfUid, until } from './os-fixture.fixture';

describe.skipIf(!isRoot)('revokeSession on this machine (root, no logind)', { timeout: 30_000 }, () => {
  const os = new OsFixture();
  afterAll(() => os.cleanup());
  const actions = createResponseActions({ platform: 'linux', graceMs: 2_000 });

  it("ends every process of the account within the grace, and nobody else's", async () => {
    const nurse = os.createAccount();
    const other = os.createAccount();
    // A shell with children, one that ignores SIGTERM (so SIGKILL is needed), in two sessions.
    os.spawnAs(nurse, 'sleep 300 & sleep 300 & wait', newMark());
    os.spawnAs(nurse, 'trap "" TERM; sleep 300 & while :; do sleep 1; done', newMark());
    os.spawnAs(other, 'sleep 300', newMark());
    expect(await until(() => pidsOfUid(nurse.uid).length >= 5 && pidsOfUid(other.uid).length >= 1)).toBe(true);
    const othersBefore = pidsOfUid(other.uid);

    const started = Date.now();
    const outcome = await actions.revokeSession({ account: { name: nurse.name, uid: nurse.uid } }, { dryRun: false });
    const tookMs = Date.now() - started;

    expect(outcome.ok).toBe(true);
    expect(outcome.details).toMatchObject({ method: 'signals', sessions: 2 });
    expect(outcome.details.processesEnded).toBeGreaterThanOrEqual(5);
    expect(outcome.details.killed).toBeGreaterThanOrEqual(1); // the shell that ignores SIGTERM
    expect(pidsOfUid(nurse.uid)).toEqual([]);
    // The grace, then SIGKILL and its check; slack for a loaded CI machine.
    expect(tookMs).toBeLessThan(2_000 + 4_000);
    // Every one of the other account's processes lives on (its shell may have forked since).
    expect(pidsOfUid(other.uid)).toEqual(expect.arrayContaining(othersBefore));
    expect(outcome.message).not.toContain(nurse.name);
  });

  it('dry run lists the plan and ends nothing', async () => {
    const nurse = os.createAccount();
    os.spawnAs(nurse, 'sleep 300', newMark());
    expect(await until(() => pidsOfUid(nurse.uid).length === 2)).toBe(true); // sh and its sleep
    const outcome = await actions.revokeSession({ account: { name: nurse.name, uid: nurse.uid } }, { dryRun: true });
    expect(outcome).toMatchObject({ ok: true, details: { dryRun: true } });
    expect(outcome.details.plan).toEqual([
      ['loginctl', 'terminate-user', nurse.name],
      expect.stringContaining('SIGTERM the 2 processes'),
    ]);
    await new Promise((r) => setTimeout(r, 200));
    expect(pidsOfUid(nurse.uid)).toHaveLength(2);
  });

  it('refuses root, system accounts, a name that is an option, and a name/uid mismatch', async () => {
    const nurse = os.createAccount();
    const cases = [
      { name: 'root', uid: 0 },
      { name: 'daemon', uid: 1 },
      { name: '-rf', uid: 1500 },
      { name: nurse.name, uid: nurse.uid + 1 },
    ];
    for (const account of cases) {
      const outcome = await actions.revokeSession({ account }, { dryRun: false });
      expect(outcome).toMatchObject({ ok: false, details: { refused: true } });
    }
    expect((await actions.revokeSession({}, { dryRun: false })).ok).toBe(false);
    expect((await actions.revokeSession({ sessionId: '1; rm' }, { dryRun: false })).ok).toBe(false);
  });
});
