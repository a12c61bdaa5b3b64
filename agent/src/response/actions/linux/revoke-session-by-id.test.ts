import { afterEach, describe, expect, it } from 'vitest';
import { createResponseActions } from '../create-response-actions';
import { ExecCommandRunner } from '../command-runner';
import { ProcFsReader } from './proc-reader';
import { FakeProc, instantClock } from './proc-tree.fixture';

// Revoking one session by id where logind is absent: the audit session id of each process
// says which session it belongs to. This machine sets none, so a fixture /proc stands in.
describe('revokeSession by session id, on a fixture /proc', () => {
  let fake: FakeProc;
  afterEach(() => fake.remove());

  const setup = () => {
    fake = new FakeProc()
      .add({ pid: 500, ppid: 1, uid: 0, comm: 'agent' }) // the agent itself
      .add({ pid: 600, ppid: 1, uid: 1001, session: 3, comm: 'bash' })
      .add({ pid: 601, ppid: 600, uid: 1001, session: 3, comm: 'editor', ignores: ['SIGTERM'] })
      .add({ pid: 602, ppid: 600, uid: 1001, euid: 0, session: 3, comm: 'sudo' }) // root-owned
      .add({ pid: 603, ppid: 1, uid: 110, session: 3, comm: 'helper' }) // a system account in the session
      .add({ pid: 700, ppid: 1, uid: 1001, session: 4, comm: 'bash' }); // same user, other session
    const clock = instantClock();
    const actions = createResponseActions({
      platform: 'linux',
      proc: new ProcFsReader(fake.root, 500),
      signals: fake.sender(),
      clock,
      // the real loginctl: absent logind here, so the fallback is what is tested
      runner: new ExecCommandRunner(),
      passwdPath: '/nonexistent',
    });
    return { actions, clock };
  };

  it('SIGTERMs the session, SIGKILLs what ignored it, spares root-owned, system and other sessions', async () => {
    const { actions, clock } = setup();
    const outcome = await actions.revokeSession({ sessionId: '3' }, { dryRun: false });
    expect(outcome).toMatchObject({
      ok: true,
      details: { processesEnded: 2, terminated: 1, killed: 1, remaining: [] },
    });
    const signalled = (sig: string) => fake.signals.sent.filter((s) => s.signal === sig).map((s) => s.pid);
    expect(signalled('SIGTERM').sort()).toEqual([600, 601]);
    expect(signalled('SIGKILL')).toEqual([601]);
    expect(fake.signals.sent.some((s) => [500, 602, 603, 700].includes(s.pid))).toBe(false);
    expect(clock.slept).toBeGreaterThanOrEqual(2_000); // the grace was given before SIGKILL
  });

  it('counts no zombie: an unreaped one of the account (a reused uid, say) is no session to end', async () => {
    const { actions } = setup();
    fake.add({ pid: 800, ppid: 1, uid: 1001, comm: 'sleep', state: 'Z' });
    const outcome = await actions.revokeSession({ account: { name: 'nurse', uid: 1001 } }, { dryRun: false });
    // 600, 601 and 700 (the fixture gives each a kernel session of its own); sudo 602 is root's.
    expect(outcome).toMatchObject({ ok: true, details: { sessions: 3, processesEnded: 3, remaining: [] } });
    expect(fake.signals.sent.some((s) => s.pid === 800)).toBe(false);
  });

  it('dry run sends no signal', async () => {
    const { actions } = setup();
    const outcome = await actions.revokeSession({ sessionId: '3' }, { dryRun: true });
    expect(outcome).toMatchObject({ ok: true, details: { dryRun: true, pids: [600, 601] } });
    expect(fake.signals.sent).toEqual([]);
  });

  it('a logind session name that is not numeric matches no process (and is said so)', async () => {
    const { actions } = setup();
    const outcome = await actions.revokeSession({ sessionId: 'c2' }, { dryRun: false });
    expect(outcome).toMatchObject({ ok: true, details: { processesEnded: 0 } });
    expect(fake.signals.sent).toEqual([]);
  });
});
