// Ends a user's sessions (or one session): logind first (`loginctl terminate-user NAME` /
// `terminate-session ID`), then whatever processes of the account / session are still
// there are signalled — which is all of them where logind is absent (containers, minimal
// images, PID 1 not systemd).
import { refuseAccount, refuseSessionId, FIRST_REGULAR_UID } from '../account-guard';
import { describeFailure } from '../command-runner';
import { planned, refused, withoutName } from '../outcome';
import type { ActionOptions, ActionOutcome, LocalAccount } from '../response-actions';
import { endProcesses, waitUntil } from './end-processes';
import type { LinuxDeps } from './linux-deps';
import { passwdUid } from './passwd';
import { isEnded, type ProcEntry } from './proc-reader';

export interface SessionTarget {
  account?: LocalAccount;
  sessionId?: string;
}

export async function revokeSession(
  deps: LinuxDeps,
  target: SessionTarget,
  options: ActionOptions,
): Promise<ActionOutcome> {
  const { account, sessionId } = target;
  if (!account && sessionId === undefined) return refused('no account or session named');
  if (account) {
    const why = refuseAccount(account, deps.policy);
    if (why) return refused(why);
    const known = passwdUid(deps.passwdPath, account.name);
    if (known !== undefined && known !== account.uid) return refused('account name and uid do not match');
  }
  if (sessionId !== undefined) {
    const why = refuseSessionId(sessionId);
    if (why) return refused(why);
  }
  const select = sessionSelector(deps, target);
  const argv = sessionId !== undefined ? ['terminate-session', sessionId] : ['terminate-user', account!.name];
  if (options.dryRun) {
    const found = select();
    return planned(
      `would end ${found.length} processes`,
      [['loginctl', ...argv], `then SIGTERM the ${found.length} processes left, SIGKILL after ${deps.graceMs} ms`],
      { pids: found.map((e) => e.pid).slice(0, 200) },
    );
  }

  // Kernel sessions (setsid) of what is found now: a login shell, a desktop, an ssh login.
  const sessions = new Set(select().map((e) => e.sid)).size;
  const logind = await deps.runner.run('loginctl', argv);
  // logind signals the session's scope itself; give it the same grace before we step in.
  if (logind.code === 0) await waitUntil(deps.clock, deps.graceMs, () => select().length === 0);
  const ended = await endProcesses(deps, select, deps.graceMs);
  const count = ended.terminated.length + ended.killed.length;
  const method = logind.code === 0 ? (count > 0 ? 'logind+signals' : 'logind') : 'signals';
  const details = {
    method,
    logind: logind.code === 0 ? 'ok' : withoutName(describeFailure(logind), account?.name),
    sessions,
    processesEnded: count,
    terminated: ended.terminated.length,
    killed: ended.killed.length,
    remaining: ended.remaining,
  };
  if (ended.remaining.length > 0)
    return { ok: false, message: `${ended.remaining.length} processes could not be ended`, details };
  return {
    ok: true,
    message: `session revoked: ${count} processes ended in ${sessions} sessions (${method})`,
    details,
  };
}

/**
 * The processes a revocation ends. By account: its real uid. By session: its audit session
 * (/proc/PID/sessionid, the id logind gives sessions). Never root-owned processes (any of
 * the four uids 0) unless root itself is the target (allowed only by policy): a user's
 * `sudo` or setuid helper belongs to root. A session alone names no account, so there
 * system accounts are left alone as well.
 */
function sessionSelector(deps: LinuxDeps, target: SessionTarget): () => ProcEntry[] {
  const { account, sessionId } = target;
  const session = sessionId !== undefined && /^\d+$/.test(sessionId) ? Number(sessionId) : undefined;
  return () =>
    deps.proc.all().filter((e) => {
      // A zombie whose parent never reaps it (in a container pid 1 may not) stays in /proc with
      // its uid: counted, it made an extra session, and for a reused uid another account's.
      if (!e.uids || isEnded(e)) return false;
      if (account && e.uids[0] !== account.uid) return false;
      if (sessionId !== undefined && (session === undefined || e.auditSession !== session)) return false;
      const targetUid = account?.uid;
      if (targetUid !== 0 && e.uids.some((u) => u === 0)) return false;
      if (!account && !deps.policy.allowSystemAccounts && e.uids.some((u) => u < FIRST_REGULAR_UID)) return false;
      return true;
    });
}
