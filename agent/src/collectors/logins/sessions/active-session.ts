// Which open session is the person at the workstation's: one rule for everything that
// needs it (USB and removable-file attribution, the user named in a LocalAction).
//
// Local sessions only (no remote origin): a graphical one (`:0`, `seat0`) before a text
// console, the newest first. utmp does not say which of two local sessions holds the seat
// (fast user switching); then the newest is taken, which is the one that switched in last
// in the usual case. Names longer than any the OS allows are not believed.
import type { OpenSession } from './utmp-sessions';

/** Longer than any account name the OS allows: a longer one is not believed. */
const MAX_NAME = 256;

/** The session of the person at the workstation, if any (pure). */
export function activeSession(sessions: readonly OpenSession[]): OpenSession | undefined {
  const local = sessions.filter((s) => s.from === '' && s.user !== '' && s.user.length <= MAX_NAME);
  const graphical = (s: OpenSession) => s.tty.startsWith(':') || s.tty.startsWith('seat');
  return [...local].sort((a, b) => Number(graphical(b)) - Number(graphical(a)) || b.startMs - a.startMs)[0];
}
