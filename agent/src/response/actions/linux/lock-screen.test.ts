import { describe, expect, it } from 'vitest';
import { createResponseActions } from '../create-response-actions';
import { RecordingRunner } from '../recording-runner.fixture';
import { LIGHTDM_SEAT } from './lock-fallback';
import { parseLoginctlSessions } from './lock-screen';

const LIST = [
  '     3 1001 nurse seat0 tty2',
  '    c2 1002 doctor',
  '     5 1001 nurse        pts/1 active no -',
  'garbage line',
].join('\n');

describe('parseLoginctlSessions', () => {
  it('reads old and new column layouts and skips what is not a session', () => {
    expect(parseLoginctlSessions(LIST)).toEqual([
      { id: '3', uid: 1001, user: 'nurse', rest: 'seat0 tty2' },
      { id: 'c2', uid: 1002, user: 'doctor', rest: '' },
      { id: '5', uid: 1001, user: 'nurse', rest: 'pts/1 active no -' },
    ]);
  });
});

describe('lockScreen', () => {
  it.runIf(process.platform === 'linux')(
    'here, without logind or LightDM, says plainly that it cannot lock',
    async () => {
      const outcome = await createResponseActions({ platform: 'linux' }).lockScreen({}, { dryRun: false });
      expect(outcome.ok).toBe(false);
      expect(outcome.message).toMatch(/^no lock method here: logind .+; dm-tool: not installed$/);
      expect(outcome.details).toMatchObject({ method: 'none' });
      expect(outcome.undo).toBeUndefined();
    },
  );

  const noLogind = (argv: string[]) =>
    argv[0] === 'loginctl' ? { code: 1, stderr: 'Failed to connect to bus: No such file or directory' } : {};

  it('without logind, locks the seat through dm-tool when every session is to be locked, and says so', async () => {
    const runner = new RecordingRunner(noLogind);
    const outcome = await createResponseActions({ platform: 'linux', runner }).lockScreen({}, { dryRun: false });
    expect(runner.calls).toEqual([
      ['loginctl', 'lock-sessions'],
      ['env', `XDG_SEAT_PATH=${LIGHTDM_SEAT}`, 'dm-tool', 'lock'],
    ]);
    expect(outcome).toMatchObject({ ok: true, details: { method: 'dm-tool' } });
    expect(outcome.message).toMatch(/dm-tool lock.*logind absent \(exit 1: Failed to connect to bus/);
    expect(outcome.undo).toBeUndefined(); // the greeter asks for the password
  });

  it('without logind, reports no lock method when dm-tool fails, or for one account (never the whole seat)', async () => {
    const failing = new RecordingRunner((argv) =>
      argv[0] === 'env' ? { code: 1, stderr: 'Not running inside a display manager' } : noLogind(argv),
    );
    const all = await createResponseActions({ platform: 'linux', runner: failing }).lockScreen({}, { dryRun: false });
    expect(all).toMatchObject({ ok: false, details: { method: 'none' } });
    expect(all.message).toMatch(/dm-tool: exit 1: Not running inside a display manager/);

    const runner = new RecordingRunner(noLogind);
    const one = await createResponseActions({ platform: 'linux', runner }).lockScreen(
      { account: { name: 'nurse', uid: 1001 } },
      { dryRun: false },
    );
    expect(one).toMatchObject({ ok: false, details: { method: 'none' } });
    expect(one.message).toMatch(/would lock the whole seat/);
    expect(runner.calls.some((argv) => argv[0] === 'env')).toBe(false);
  });

  it("with logind, locks each of the account's sessions and leaves an unlock record", async () => {
    const runner = new RecordingRunner((argv) => (argv[1] === 'list-sessions' ? { stdout: LIST } : {}));
    const actions = createResponseActions({ platform: 'linux', runner });
    const outcome = await actions.lockScreen({ account: { name: 'nurse', uid: 1001 } }, { dryRun: false });
    expect(outcome).toMatchObject({
      ok: true,
      details: { method: 'logind' },
      undo: { kind: 'unlock', data: { sessionIds: '3,5' }, expiresAtMs: null },
    });
    expect(runner.calls.slice(1)).toEqual([
      ['loginctl', 'lock-session', '3'],
      ['loginctl', 'lock-session', '5'],
    ]);
    await actions.undo(outcome.undo!, { dryRun: false });
    expect(runner.calls.slice(3)).toEqual([
      ['loginctl', 'unlock-session', '3'],
      ['loginctl', 'unlock-session', '5'],
    ]);
  });

  it('locks every session when none is named; a dry run runs nothing', async () => {
    const runner = new RecordingRunner();
    const actions = createResponseActions({ platform: 'linux', runner });
    expect(await actions.lockScreen({}, { dryRun: true })).toMatchObject({
      details: { plan: [['loginctl', 'lock-sessions']] },
    });
    expect(runner.calls).toEqual([]);
    expect((await actions.lockScreen({}, { dryRun: false })).undo?.data).toEqual({ all: true });
  });
});
