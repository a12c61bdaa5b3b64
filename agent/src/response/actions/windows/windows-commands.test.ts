import { describe, expect, it } from 'vitest';
import { createResponseActions } from '../create-response-actions';
import { RecordingRunner } from '../recording-runner.fixture';
import {
  logoffArgv,
  netUserActiveArgv,
  parseQuerySession,
  parseQuser,
  querySessionArgv,
  quserArgv,
  taskkillTreeArgv,
  tsdisconArgv,
  writeProtectDeleteArgv,
  writeProtectSetArgv,
} from './windows-commands';

const KEY = 'HKLM\\SYSTEM\\CurrentControlSet\\Control\\StorageDevicePolicies';

const QUSER = [
  ' USERNAME              SESSIONNAME        ID  STATE   IDLE TIME  LOGON TIME',
  '>jdoe                  console             1  Active      none   12/2/2026 9:00 AM',
  ' dr smith                                  2  Disc            5  12/2/2026 8:00 AM',
  ' nurse                 rdp-tcp#3          14  Active          .  12/2/2026 7:30 AM',
  '',
].join('\r\n');

describe('Windows argv builders', () => {
  it('build exactly these argv arrays', () => {
    expect(quserArgv()).toEqual(['quser']);
    expect(querySessionArgv()).toEqual(['query', 'session']);
    expect(logoffArgv(2)).toEqual(['logoff', '2']);
    expect(tsdisconArgv(14)).toEqual(['tsdiscon', '14']);
    expect(() => tsdisconArgv(-1)).toThrow('session id not valid');
    expect(taskkillTreeArgv(4242)).toEqual(['taskkill', '/PID', '4242', '/T', '/F']);
    expect(netUserActiveArgv('jdoe', false)).toEqual(['net', 'user', 'jdoe', '/active:no']);
    expect(netUserActiveArgv('jdoe', true)).toEqual(['net', 'user', 'jdoe', '/active:yes']);
    expect(writeProtectSetArgv(1)).toEqual([
      'reg',
      'add',
      KEY,
      '/v',
      'WriteProtect',
      '/t',
      'REG_DWORD',
      '/d',
      '1',
      '/f',
    ]);
    expect(writeProtectDeleteArgv()).toEqual(['reg', 'delete', KEY, '/v', 'WriteProtect', '/f']);
  });

  it('pass a name with spaces or a quote as one argv item, and refuse what reads as an option or is not a Windows name', () => {
    expect(netUserActiveArgv('Dr Smith', false)).toEqual(['net', 'user', 'Dr Smith', '/active:no']);
    expect(netUserActiveArgv("O'Brien", false)[2]).toBe("O'Brien");
    for (const bad of ['/delete', '-x', 'a"b', 'a;b', 'a\\b', '', 'a\nb'])
      expect(() => netUserActiveArgv(bad, false), bad).toThrow();
    expect(() => logoffArgv(-1)).toThrow();
    expect(() => taskkillTreeArgv(1.5)).toThrow();
  });

  it('parse quser, with a disconnected session (no session name) and a name with a space', () => {
    expect(parseQuser(QUSER)).toEqual([
      { userName: 'jdoe', sessionName: 'console', id: 1, state: 'Active' },
      { userName: 'dr smith', sessionName: '', id: 2, state: 'Disc' },
      { userName: 'nurse', sessionName: 'rdp-tcp#3', id: 14, state: 'Active' },
    ]);
    expect(parseQuser('No User exists for *')).toEqual([]);
  });

  it('parse query session, with the services session (no user) and a disconnected one (no session name)', () => {
    const text = [
      ' SESSIONNAME       USERNAME                 ID  STATE   TYPE        DEVICE',
      ' services                                    0  Disc',
      '>console           jdoe                      1  Active',
      '                   dr smith                  2  Disc',
      ' rdp-tcp                                 65536  Listen',
    ].join('\r\n');
    expect(parseQuerySession(text)).toEqual([
      { sessionName: 'services', userName: '', id: 0, state: 'Disc' },
      { sessionName: 'console', userName: 'jdoe', id: 1, state: 'Active' },
      { sessionName: '', userName: 'dr smith', id: 2, state: 'Disc' },
      { sessionName: 'rdp-tcp', userName: '', id: 65536, state: 'Listen' },
    ]);
  });
});

describe('WindowsResponseActions through the command runner', () => {
  const make = (answer?: ConstructorParameters<typeof RecordingRunner>[0]) => {
    const runner = new RecordingRunner(answer);
    return { runner, actions: createResponseActions({ platform: 'win32', runner }) };
  };

  it("revokes an account's sessions: quser, then logoff each of its ids", async () => {
    const { runner, actions } = make((argv) => (argv[0] === 'quser' ? { stdout: QUSER } : {}));
    const outcome = await actions.revokeSession({ account: { name: 'Dr Smith', uid: 0 } }, { dryRun: false });
    expect(outcome.ok).toBe(true);
    expect(runner.calls).toEqual([['quser'], ['logoff', '2']]);
  });

  it('disables and enables an account; dry run runs nothing', async () => {
    const { runner, actions } = make();
    expect((await actions.disableAccount({ name: 'nurse', uid: 0 }, 60, { dryRun: true })).details.plan).toEqual([
      ['net', 'user', 'nurse', '/active:no'],
    ]);
    expect(runner.calls).toEqual([]);
    const outcome = await actions.disableAccount({ name: 'nurse', uid: 0 }, 60, { dryRun: false });
    await actions.undo(outcome.undo!, { dryRun: false });
    expect(runner.calls).toEqual([
      ['net', 'user', 'nurse', '/active:no'],
      ['net', 'user', 'nurse', '/active:yes'],
    ]);
    expect((await actions.disableAccount({ name: 'Administrator', uid: 0 }, 60, { dryRun: false })).ok).toBe(false);
    expect((await actions.disableAccount({ name: '/delete', uid: 0 }, 60, { dryRun: false })).ok).toBe(false);
  });

  it('write-protects removable storage and restores the previous value (none: the value is deleted)', async () => {
    const { runner, actions } = make((argv) => (argv[1] === 'query' ? { code: 1, stderr: 'ERROR: not found' } : {}));
    const outcome = await actions.blockRemovable(600, { dryRun: false });
    expect(outcome.undo?.data).toEqual({ windowsWriteProtect: '' });
    await actions.undo(outcome.undo!, { dryRun: false });
    expect(runner.calls.slice(1)).toEqual([writeProtectSetArgv(1), writeProtectDeleteArgv()]);
  });

  it("locks an account's active sessions, all active ones, or one by id, with tsdiscon from session 0", async () => {
    const { runner, actions } = make((argv) => (argv[0] === 'quser' ? { stdout: QUSER } : {}));
    const nurse = await actions.lockScreen({ account: { name: 'NURSE', uid: 0 } }, { dryRun: false });
    expect(nurse).toMatchObject({ ok: true, details: { method: 'tsdiscon', sessions: 1 } });
    expect(nurse.message).toBe('1 sessions locked (disconnected to the sign-in screen)');
    await actions.lockScreen({}, { dryRun: false }); // every active session: not the disconnected one (2)
    await actions.lockScreen({ sessionId: '2' }, { dryRun: false });
    expect(runner.calls).toEqual([
      ['quser'],
      ['tsdiscon', '14'],
      ['quser'],
      ['tsdiscon', '1'],
      ['tsdiscon', '14'],
      ['tsdiscon', '2'],
    ]);
    expect((await actions.lockScreen({ sessionId: '1 /v' }, { dryRun: false })).details.refused).toBe(true);
    const none = await actions.lockScreen({ account: { name: 'dr smith', uid: 0 } }, { dryRun: false });
    expect(none).toMatchObject({ ok: false, message: 'no active session to lock' });
    const plan = await actions.lockScreen({ account: { name: 'jdoe', uid: 0 } }, { dryRun: true });
    expect(plan.details.plan).toEqual([['tsdiscon', '1']]);
  });

  it('kills trees with taskkill /T /F', async () => {
    const { runner, actions } = make();
    await actions.killProcessTree(
      [
        { pid: 10, startTime: 0 },
        { pid: 20, startTime: 0 },
      ],
      { dryRun: false },
    );
    expect(runner.calls).toEqual([taskkillTreeArgv(10), taskkillTreeArgv(20)]);
    const calls = runner.calls.length; // diagnostics ask systeminformation, not a command of ours
    expect((await actions.collectDiagnostics({ dryRun: true })).details.plan).toContain('systeminformation users()');
    expect(runner.calls).toHaveLength(calls);
  });
});
