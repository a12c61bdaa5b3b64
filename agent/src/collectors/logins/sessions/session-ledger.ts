// Remembers the logons and logoffs the log source reported a moment ago, so a
// session found in utmp is not reported a second time. The log line is richer
// (method, address, port), so it wins; utmp fills in what no log line told:
// sessions open before the agent started, and those of a source it cannot read.
//
// A log record and a session match when the user is the same and either both
// name a tty and it is the same, or both name a remote address and it is the
// same, or the log record names neither (pam_unix session lines). utmp times
// are whole minutes, so a logon matches within [start − 1 min, start + 2 min].
import type { ParsedLogin } from '../parsers/parse-result';
import type { OpenSession } from './utmp-sessions';

interface Noted {
  action: 'logon' | 'logoff';
  user: string;
  tty: string;
  from: string;
  timeMs: number;
  claimed: boolean;
}

const KEEP_MS = 10 * 60_000;
const MAX_NOTED = 5_000;
const BEFORE_MS = 60_000;
const AFTER_MS = 120_000;

export class SessionLedger {
  private noted: Noted[] = [];

  noteLog(login: ParsedLogin): void {
    const action = login.login.action;
    if (login.outcome !== 'success' || (action !== 'logon' && action !== 'logoff')) return;
    this.noted.push({
      action,
      user: login.user,
      tty: normaliseTty(login.login.tty),
      from: login.login.sourceIp || login.login.sourceHost,
      timeMs: login.timeMs,
      claimed: false,
    });
    if (this.noted.length > MAX_NOTED) this.noted.splice(0, this.noted.length - MAX_NOTED);
  }

  /** True when a log record already reported this session's logon (it is then used up). */
  claimLogon(session: OpenSession): boolean {
    return this.claim('logon', session, session.startMs - BEFORE_MS, session.startMs + AFTER_MS);
  }

  /** True when a log record reported this session's end since `sinceMs`. */
  claimLogoff(session: OpenSession, sinceMs: number, nowMs: number): boolean {
    return this.claim('logoff', session, sinceMs - BEFORE_MS, nowMs + AFTER_MS);
  }

  prune(nowMs: number): void {
    this.noted = this.noted.filter((n) => nowMs - n.timeMs < KEEP_MS);
  }

  private claim(action: Noted['action'], s: OpenSession, fromMs: number, toMs: number): boolean {
    const tty = normaliseTty(s.tty);
    const found = this.noted.find(
      (n) =>
        !n.claimed &&
        n.action === action &&
        n.user === s.user &&
        n.timeMs >= fromMs &&
        n.timeMs <= toMs &&
        (n.tty && tty ? n.tty === tty : n.from && s.from ? n.from === s.from : !n.tty && !n.from),
    );
    if (found) found.claimed = true;
    return found !== undefined;
  }
}

function normaliseTty(tty: string): string {
  return tty.replace(/^\/dev\//, '');
}
