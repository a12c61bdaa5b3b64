// The sessions open now, as utmp records them (who / w, through
// systeminformation.users(); the Windows and macOS equivalents there).
import { systemInformation, type Systeminformation } from '../../systeminformation';

export interface OpenSession {
  user: string;
  /** tty or display ('pts/0', 'tty1', ':0'); '' when none. */
  tty: string;
  /** Remote address or host name the session came from; '' for a local one. */
  from: string;
  /** When it began (utmp has minute resolution); ms since the epoch. */
  startMs: number;
}

export type SessionProvider = () => Promise<OpenSession[]>;

export type UsersProvider = () => Promise<Systeminformation.UserData[]>;

export function systemInformationSessions(
  users: UsersProvider = async () => (await systemInformation()).users(),
  now: () => number = Date.now,
): SessionProvider {
  return async () =>
    (await users()).filter((u) => typeof u.user === 'string' && u.user.trim() !== '').map((u) => toSession(u, now));
}

function toSession(u: Systeminformation.UserData, now: () => number): OpenSession {
  return {
    user: u.user.trim(),
    tty: (u.tty ?? '').trim(),
    from: cleanFrom(u.ip ?? ''),
    startMs: localTime(u.date ?? '', u.time ?? '') ?? now(),
  };
}

/** `who` prints local time, `2026-12-01` and `13:05`. */
export function localTime(date: string, time: string): number | undefined {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date.trim());
  const t = /^(\d{1,2}):(\d{2})$/.exec(time.trim());
  if (!d || !t) return undefined;
  if (
    Number(d[2]) < 1 ||
    Number(d[2]) > 12 ||
    Number(d[3]) < 1 ||
    Number(d[3]) > 31 ||
    Number(t[1]) > 23 ||
    Number(t[2]) > 59
  )
    return undefined;
  const ms = new Date(Number(d[1]), Number(d[2]) - 1, Number(d[3]), Number(t[1]), Number(t[2])).getTime();
  return Number.isFinite(ms) ? ms : undefined;
}

function cleanFrom(ip: string): string {
  const v = ip.trim().replace(/^\(|\)$/g, '');
  // `who` shows a local X display as the "host" of the session.
  return v.startsWith(':') ? '' : v;
}
