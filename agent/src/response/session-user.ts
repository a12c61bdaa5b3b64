// Who is at the workstation when a LocalAction happens (break-glass declared, maintenance
// started, an undo by IT staff, a period ending), for its report to the manager: the user
// of the active local session, pseudonymised with the pipeline's key exactly as the
// logins collector's events name them (Pseudonymizer.user), so the manager can match the
// report to that user's alerts and sessions. Never a clear name.
//
// "Active" is read from the open sessions the logins collector reads (utmp on Linux): a
// local session (no remote origin), a graphical one (`:0`, `seat0`) before a text console,
// the newest first. utmp does not say which of two local sessions has the seat (fast user
// switching); then the newest is taken, which is the one that switched in last in the usual
// case. Nobody local, an unreadable utmp or a slow answer (TIMEOUT_MS) give '' — unknown —
// and the report still goes.
import type { OpenSession, SessionProvider } from '../collectors/logins/sessions/utmp-sessions';

export const TIMEOUT_MS = 1_000;
/** Longer than any account name the OS allows: a longer one is not believed. */
const MAX_NAME = 256;

/** The pseudonymised user of the active session, or '' when none is known. */
export type SessionUser = () => Promise<string>;

export const NO_SESSION_USER: SessionUser = () => Promise.resolve('');

/** The session of the person at the workstation, if any (pure). */
export function activeSession(sessions: readonly OpenSession[]): OpenSession | undefined {
  const local = sessions.filter((s) => s.from === '' && s.user !== '' && s.user.length <= MAX_NAME);
  const graphical = (s: OpenSession) => s.tty.startsWith(':') || s.tty.startsWith('seat');
  return [...local].sort((a, b) => Number(graphical(b)) - Number(graphical(a)) || b.startMs - a.startMs)[0];
}

export function activeSessionUser(
  sessions: SessionProvider,
  pseudonym: (name: string) => string,
  timeoutMs = TIMEOUT_MS,
): SessionUser {
  return async () => {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), timeoutMs);
      timer.unref();
    });
    try {
      const open = await Promise.race([sessions().catch(() => undefined), late]);
      const session = open ? activeSession(open) : undefined;
      return session ? pseudonym(session.user) : '';
    } finally {
      clearTimeout(timer);
    }
  };
}
