// Gathers the sessions of each (user, window) from the portable events — one per
// workstation: its first event's hour, the logon's method, the programs started —
// and, when the window pipeline closes a window, judges them against the
// fingerprint (owner-match.ts) and only then learns them, so "new" always means
// new against the past. The window's identity is its least owner-like session.
// A session still open when its window closes (no logoff) and continued in the
// next window keeps the judgement of its logon: an intruder using a night
// worker's password at 09:00 for an hour crosses the worker's 13:00 day cut, and
// the continuation alone — a known workstation by then (it was learned at the
// close), no logon, no programs — looked like the owner.
import type { FeatureWindow, PortableEvent } from '@wardwatch/shared/agent';
import { ownerMatch, type OwnerMatch } from './owner-match';
import { FingerprintStore, MAX_SESSION_PROGRAMS, normaliseMethod, type Session } from './session-fingerprint';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** Open sessions at most (users × workstations × open windows); beyond, new ones are counted, not judged. */
export const MAX_OPEN_SESSIONS = 20_000;
/** Sessions of windows this much older than the one closing are dropped (their window was never scored). */
const STALE_MS = 8 * DAY_MS;
/** A session left open at a window's close is continued by the next window's events on that workstation this soon. */
export const SESSION_CONTINUATION_MS = 12 * HOUR_MS;
/** Sessions left open whose judgement is kept for their continuation (users × workstations); beyond, none is kept. */
export const MAX_CARRIED_SESSIONS = 20_000;

export interface WindowIdentity extends OwnerMatch {
  /** Sessions judged in the window (the match is the least owner-like one's). */
  sessions: number;
}

export interface IdentityTrackerOptions {
  windowMs?: number;
  utcOffsetMinutes?: number;
  perHost?: boolean;
}

interface OpenSession extends Omit<Session, 'programs'> {
  programs: Set<string>;
  /** The last event was a logoff: nothing continues this session in the next window. */
  loggedOff: boolean;
  lastEventAt: number;
}

/** The judgement of a session left open at its window's close. */
interface CarriedSession {
  match: OwnerMatch;
  lastEventAt: number;
}

export class IdentityTracker {
  readonly store = new FingerprintStore();
  private readonly windowMs: number;
  private readonly offsetMs: number;
  private readonly perHost: boolean;
  /** `${user}\0${windowStart}` → host → session. */
  private readonly open = new Map<string, Map<string, OpenSession>>();
  private openCount = 0;
  /** `${user}\0${host}` → the judgement of the session left open there at the last close. */
  private readonly carried = new Map<string, CarriedSession>();
  private sweptBefore = -Infinity;
  /** Sessions not judged because MAX_OPEN_SESSIONS were open. */
  dropped = 0;

  constructor(options: IdentityTrackerOptions = {}) {
    this.windowMs = options.windowMs ?? DAY_MS;
    this.offsetMs = (options.utcOffsetMinutes ?? 0) * 60_000;
    this.perHost = options.perHost ?? false;
  }

  /**
   * Adds an event to its session. `windowStart`: the start of the window the feature extractor put
   * it in (users' days begin at their own hour), null when it dropped it; without it, the local
   * calendar window.
   */
  observe(event: PortableEvent, windowStart?: number | null): void {
    // A failed attempt is not a session of the account (it may be anyone's typing).
    if (event.kind === 'failed_logon' || windowStart === null) return;
    const local = event.time + this.offsetMs;
    const start = windowStart ?? Math.floor(local / this.windowMs) * this.windowMs - this.offsetMs;
    const key = `${event.user}\u0000${start}`;
    let sessions = this.open.get(key);
    let session = sessions?.get(event.host);
    if (!session) {
      if (this.openCount >= MAX_OPEN_SESSIONS) {
        this.dropped += 1;
        return;
      }
      session = {
        user: event.user,
        host: event.host,
        role: event.role,
        unit: event.unit,
        startedAt: event.time,
        hourOfWeek: hourOfWeek(local),
        method: null,
        programs: new Set(),
        events: 0,
        loggedOff: false,
        lastEventAt: event.time,
      };
      if (!sessions) {
        sessions = new Map();
        this.open.set(key, sessions);
      }
      sessions.set(event.host, session);
      this.openCount += 1;
    }
    session.events += 1;
    session.loggedOff = event.kind === 'logoff';
    if (event.time > session.lastEventAt) session.lastEventAt = event.time;
    if (event.role) session.role = event.role;
    if (event.unit) session.unit = event.unit;
    if (event.kind === 'logon' && session.method === null) {
      session.method = normaliseMethod(event.method) ?? 'unknown';
      // The logon opens the session: its hour is the logon's, when the window saw activity before it.
      if (session.events > 1) {
        session.startedAt = event.time;
        session.hourOfWeek = hourOfWeek(local);
      }
    }
    if (event.kind === 'process_start' && session.programs.size < MAX_SESSION_PROGRAMS)
      session.programs.add(baseName(event.executable));
  }

  /** Judges the closing window's sessions, learns them, and forgets them. */
  close(window: FeatureWindow): WindowIdentity | undefined {
    const key = `${window.user}\u0000${window.start}`;
    const sessions = this.open.get(key);
    const judged = this.judge(window, sessions, true);
    if (sessions) {
      for (const [host, session] of sessions) {
        if (this.perHost && host !== window.host) continue;
        this.store.learn(session);
        sessions.delete(host);
        this.openCount -= 1;
      }
      if (sessions.size === 0) this.open.delete(key);
    }
    this.dropStale(window.start - STALE_MS);
    return judged;
  }

  /** The open window's identity so far, learning nothing (an early score on a rule hit). */
  peek(window: FeatureWindow): WindowIdentity | undefined {
    return this.judge(window, this.open.get(`${window.user}\u0000${window.start}`));
  }

  /** The least owner-like session; on `closing`, remembers the judgement of each left open for its continuation. */
  private judge(
    window: FeatureWindow,
    sessions: Map<string, OpenSession> | undefined,
    closing = false,
  ): WindowIdentity | undefined {
    if (!sessions) return undefined;
    let worst: OwnerMatch | undefined;
    let count = 0;
    for (const [host, session] of sessions) {
      if (this.perHost && host !== window.host) continue;
      count += 1;
      const own = ownerMatch(session, this.store);
      const key = `${session.user}\u0000${host}`;
      const before = this.carried.get(key);
      // No logon of its own in this window, and the session there was left open not long before: its continuation.
      const continued =
        before !== undefined &&
        session.method === null &&
        session.startedAt - before.lastEventAt <= SESSION_CONTINUATION_MS &&
        before.match.ownerMatch < own.ownerMatch;
      const match = continued ? before.match : own;
      if (closing) {
        if (!session.loggedOff && (this.carried.size < MAX_CARRIED_SESSIONS || this.carried.has(key)))
          this.carried.set(key, { match, lastEventAt: session.lastEventAt });
        else this.carried.delete(key);
      }
      if (!worst || match.ownerMatch < worst.ownerMatch) worst = match;
    }
    return worst && { ...worst, sessions: count };
  }

  private dropStale(before: number): void {
    // Once per window start: a day's hundreds of closing windows share one sweep.
    if (before <= this.sweptBefore) return;
    this.sweptBefore = before;
    for (const [key, carried] of this.carried) if (carried.lastEventAt < before) this.carried.delete(key);
    for (const [key, sessions] of this.open) {
      const start = Number(key.slice(key.lastIndexOf('\u0000') + 1));
      if (start >= before) continue;
      this.openCount -= sessions.size;
      this.open.delete(key);
    }
  }
}

/** 0 = Monday 00:00–01:00 of the local (site) time given as epoch ms shifted by the offset. */
export function hourOfWeek(localMs: number): number {
  const days = Math.floor(localMs / DAY_MS);
  // 1970-01-01 was a Thursday (index 3 from Monday).
  const weekday = (((days + 3) % 7) + 7) % 7;
  return weekday * 24 + Math.floor((((localMs % DAY_MS) + DAY_MS) % DAY_MS) / HOUR_MS);
}

function baseName(path: string): string {
  const slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return path.slice(slash + 1).toLowerCase();
}
