// Locks screens through logind: `loginctl lock-session ID`, the account's sessions one by
// one, or `loginctl lock-sessions` for all. Without logind, lock-fallback.ts: the display
// manager's seat lock (`dm-tool lock`) when every session is to be locked, else "no lock
// method" — never a silent success. The outcome's `details.method` says which path ran
// (`logind`, `dm-tool` or `none`), so the response core can warn or revoke instead.
import { refuseAccount, refuseSessionId } from '../account-guard';
import { describeFailure } from '../command-runner';
import { planned, refused } from '../outcome';
import type { ActionOptions, ActionOutcome, LocalAccount, UndoRecord } from '../response-actions';
import { lockWithoutLogind } from './lock-fallback';
import type { LinuxDeps } from './linux-deps';

export interface LogindSession {
  id: string;
  uid: number;
  user: string;
  /** The other columns as printed (seat, tty, state…: their set and order differ between versions). */
  rest: string;
}

/** `loginctl list-sessions --no-legend`: `SESSION UID USER …` (the columns after USER vary by version). */
export function parseLoginctlSessions(text: string): LogindSession[] {
  const out: LogindSession[] = [];
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 3 || !/^\d+$/.test(f[1]) || refuseSessionId(f[0])) continue;
    out.push({ id: f[0], uid: Number(f[1]), user: f[2], rest: f.slice(3).join(' ').slice(0, 80) });
  }
  return out;
}

export async function lockScreen(
  deps: LinuxDeps,
  target: { account?: LocalAccount; sessionId?: string },
  options: ActionOptions,
): Promise<ActionOutcome> {
  const { account, sessionId } = target;
  if (account) {
    const why = refuseAccount(account, { allowSystemAccounts: true }); // locking harms nothing: any account
    if (why) return refused(why);
  }
  if (sessionId !== undefined && refuseSessionId(sessionId)) return refused('session id not valid');

  let ids: string[] | 'all';
  if (sessionId !== undefined) ids = [sessionId];
  else if (!account) ids = 'all';
  else {
    const listed = await deps.runner.run('loginctl', ['list-sessions', '--no-legend']);
    if (listed.code !== 0) return lockWithoutLogind(deps, 'one', describeFailure(listed), options.dryRun);
    ids = parseLoginctlSessions(listed.stdout)
      .filter((s) => s.uid === account.uid)
      .map((s) => s.id);
    if (ids.length === 0) return { ok: true, message: 'no session of the account to lock', details: { sessions: 0 } };
  }
  const commands = ids === 'all' ? [['lock-sessions']] : ids.map((id) => ['lock-session', id]);
  if (options.dryRun)
    return planned(
      `would lock ${ids === 'all' ? 'every' : ids.length} session(s)`,
      commands.map((c) => ['loginctl', ...c]),
    );

  const locked: string[] = [];
  for (const argv of commands) {
    const result = await deps.runner.run('loginctl', argv);
    if (result.code !== 0) {
      if (locked.length === 0)
        return lockWithoutLogind(deps, ids === 'all' ? 'all' : 'one', describeFailure(result), false);
      break;
    }
    locked.push(argv[1] ?? 'all');
  }
  const undo: UndoRecord = {
    kind: 'unlock',
    data: ids === 'all' ? { all: true } : { sessionIds: locked.join(',') },
    expiresAtMs: null,
  };
  const ok = ids === 'all' || locked.length === ids.length;
  return {
    ok,
    message: `${ids === 'all' ? 'all sessions' : `${locked.length} session(s)`} locked`,
    details: { method: 'logind', sessions: locked.length },
    undo,
  };
}

export async function unlockScreen(
  deps: LinuxDeps,
  record: UndoRecord,
  options: ActionOptions,
): Promise<ActionOutcome> {
  const ids = typeof record.data.sessionIds === 'string' ? record.data.sessionIds.split(',').filter(Boolean) : [];
  if (ids.some((id) => refuseSessionId(id))) return refused('session id not valid');
  const commands = record.data.all === true ? [['unlock-sessions']] : ids.map((id) => ['unlock-session', id]);
  if (commands.length === 0) return refused('undo record names no session');
  if (options.dryRun)
    return planned(
      'would unlock',
      commands.map((c) => ['loginctl', ...c]),
    );
  const failures: string[] = [];
  for (const argv of commands) {
    const result = await deps.runner.run('loginctl', argv);
    if (result.code !== 0) failures.push(describeFailure(result));
  }
  if (failures.length > 0) return { ok: false, message: `unlock failed: ${failures[0]}`, details: { failures } };
  return { ok: true, message: 'unlocked', details: { sessions: commands.length } };
}
