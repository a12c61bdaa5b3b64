// Who is at the workstation when a LocalAction happens (break-glass declared, maintenance
// started, an undo by IT staff, a period ending), for its report to the manager: the user
// of the active local session, pseudonymised with the pipeline's key exactly as the
// logins collector's events name them (Pseudonymizer.user), so the manager can match the
// report to that user's alerts and sessions. Never a clear name.
//
// "Active" is read from the open sessions the logins collector reads (utmp on Linux), by
// the one rule in collectors/logins/sessions/active-session.ts. Nobody local, an
// unreadable utmp or a slow answer (TIMEOUT_MS) give '' — unknown — and the report still goes.
// In OPRF mode the user's token may not be cached yet: `pseudonym` then waits for it
// (bounded by the caller, run-agent's SESSION_TOKEN_WAIT_MS); a rejection reads as unknown.
import { activeSession } from '../collectors/logins/sessions/active-session';
import type { SessionProvider } from '../collectors/logins/sessions/utmp-sessions';

export { activeSession };

export const TIMEOUT_MS = 1_000;

/** The pseudonymised user of the active session, or '' when none is known. */
export type SessionUser = () => Promise<string>;

export const NO_SESSION_USER: SessionUser = () => Promise.resolve('');

export function activeSessionUser(
  sessions: SessionProvider,
  pseudonym: (name: string) => string | Promise<string>,
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
      return session ? await pseudonym(session.user) : '';
    } finally {
      clearTimeout(timer);
    }
  };
}
