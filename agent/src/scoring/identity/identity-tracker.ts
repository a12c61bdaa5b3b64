// Gathers the sessions of each (user, window) from the portable events — one per
// workstation: its first event's hour, the logon's method, the programs started —
// and, when the window pipeline closes a window, judges them against the
// fingerprint (owner-match.ts) and only then learns them, so "new" always means
// new against the past. The window's identity is its least owner-like session.
import type { FeatureWindow, PortableEvent } from '@wardwatch/shared/agent';
import { ownerMatch, type OwnerMatch } from './owner-match';
import { FingerprintStore, MAX_SESSION_PROGRAMS, normaliseMethod, type Session } from './session-fingerprint';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** Open sessions at most (users × workstations × open windows); beyond, new ones are counted, not judged. */
export const MAX_OPEN_SESSIONS = 20_000;
/** Sessions of windows this much older than the one closing are dropped (their window was never scored). */
const STALE_MS = 8 * DAY_MS;

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
}

export class IdentityTracker {
  readonly store = new FingerprintStore();
  private readonly windowMs: number;
  private readonly offsetMs: number;
  private readonly perHost: boolean;
  /** `${user}\0${windowStart}` → host → session. */
  private readonly open = new Map<string, Map<string, OpenSession>>();
  private openCount = 0;
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
      };
      if (!sessions) {
        sessions = new Map();
        this.open.set(key, sessions);
      }
      sessions.set(event.host, session);
      this.openCount += 1;
    }
    session.events += 1;
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
    const judged = this.judge(window, sessions);
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

  private judge(window: FeatureWindow, sessions: Map<string, OpenSession> | undefined): WindowIdentity | undefined {
    if (!sessions) return undefined;
    let worst: OwnerMatch | undefined;
    let count = 0;
    for (const [host, session] of sessions) {
      if (this.perHost && host !== window.host) continue;
      count += 1;
      const match = ownerMatch(session, this.store);
      if (!worst || match.ownerMatch < worst.ownerMatch) worst = match;
    }
    return worst && { ...worst, sessions: count };
  }

  private dropStale(before: number): void {
    // Once per window start: a day's hundreds of closing windows share one sweep.
    if (before <= this.sweptBefore) return;
    this.sweptBefore = before;
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
