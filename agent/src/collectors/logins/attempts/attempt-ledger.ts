// One failed attempt = one failed logon. A program and the PAM module under it
// each report the same attempt (sshd: `Invalid user …`, `pam_unix(sshd:auth):
// authentication failure …`, `Failed password …`), and some lines stand for
// several (`message repeated N times`, `PAM N more authentication failures`).
// The ledger keeps, per connection (host, program tag and pid: AttemptMark.key),
// what each layer has reported and emits only the failures not yet emitted.
//
// Invariants:
// - Per connection, failed logons emitted = max(program count, pam count,
//   1 if any summary line), so a layer never adds to attempts another layer
//   already reported, and a summary (`Invalid user`, `Too many authentication
//   failures`, `maximum authentication attempts exceeded`, `TOO MANY LOGIN
//   TRIES`) never adds to any counted failure: it only makes sure a connection
//   that failed counts at least once.
// - A connection ends when WINDOW_MS pass without a line of it (log time), or
//   when a line names another user or another source than the connection did
//   (a reused pid): the next line starts a new connection.
// - A failure whose record has no pid (`sudo:` in a classic syslog) cannot be
//   tied to others: it counts by itself (its count; a summary counts 1).
// - A summary line that names no user and no source, on a connection that
//   knows neither, is dropped: it would be a failure of nobody from nowhere.
// - Emitted failures take the user, address, host and port the connection
//   already knows where their own line lacks them (a PAM line without `user=`
//   after `Invalid user X`).
// - A failure that knows its source only by a host name (PAM's `rhost=` is the
//   reverse-DNS name; sshd writes the address on its own line, seconds later)
//   is held until its connection names the address, so one source is not two
//   (measured on a public sshd log: the only failure of 533 keyed by a name
//   alone). It is released with the address, or as it is when its connection
//   ends, when HOLD_MS pass in log time or on the clock (`releaseStale`), or
//   on `flush`: held, never dropped, and it keeps its own time.
// - At most MAX_CONNECTIONS are remembered; the oldest go first.
import type { ParsedLogin } from '../parsers/parse-result';

export const ATTEMPT_WINDOW_MS = 5 * 60_000;
/** How long a failure known only by a host name waits for its connection's address. */
export const HOLD_MS = 30_000;
const MAX_CONNECTIONS = 10_000;

interface Connection {
  lastMs: number;
  program: number;
  pam: number;
  summary: boolean;
  emitted: number;
  user: string;
  sourceIp: string;
  sourceHost: string;
  sourcePort: number;
  /** Failures waiting for the connection's address, and since when (log time, clock). */
  held: ParsedLogin[];
  heldLogMs: number;
  heldAtMs: number;
}

export interface AttemptLedgerStats {
  /** Failed-logon lines that added no new attempt (another layer had reported it). */
  merged: number;
  /** Summary lines dropped for naming nobody. */
  dropped: number;
  /** Failures waiting now for their connection's address (a host name is all they have so far). */
  held: number;
}

export class AttemptLedger {
  private readonly connections = new Map<string, Connection>();
  /** The connections holding failures for an address: few, so the per-line check stays cheap. */
  private readonly holding = new Set<Connection>();
  private latestMs = Number.NEGATIVE_INFINITY;
  readonly stats: AttemptLedgerStats = { merged: 0, dropped: 0, held: 0 };

  constructor(
    private readonly windowMs = ATTEMPT_WINDOW_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * The logins to report for one parsed record: itself, several copies of it, or none; and before
   * them any failures held for an address that are released now.
   */
  accept(login: ParsedLogin): ParsedLogin[] {
    const mark = login.attempt;
    const out = this.releaseBefore(login.timeMs - HOLD_MS);
    if (login.login.action !== 'failed_logon' || !mark) {
      out.push(login);
      return out;
    }
    if (!mark.key) {
      out.push(...this.alone(login));
      return out;
    }
    out.push(...this.expire(login.timeMs));
    let c = this.connections.get(mark.key);
    if (c && !sameConnection(c, login, this.windowMs)) {
      out.push(...this.release(c));
      c = undefined;
    }
    c ??= {
      lastMs: login.timeMs,
      program: 0,
      pam: 0,
      summary: false,
      emitted: 0,
      user: '',
      sourceIp: '',
      sourceHost: '',
      sourcePort: 0,
      held: [],
      heldLogMs: 0,
      heldAtMs: 0,
    };
    // Re-inserted so the map stays ordered by last use (oldest first) for expiry.
    this.connections.delete(mark.key);
    this.connections.set(mark.key, c);
    if (this.connections.size > MAX_CONNECTIONS) {
      const oldest = this.connections.keys().next().value!;
      out.push(...this.release(this.connections.get(oldest)!));
      this.connections.delete(oldest);
    }
    c.lastMs = Math.max(c.lastMs, login.timeMs);
    learn(c, login);
    if (c.sourceIp) out.push(...this.release(c));
    if (mark.layer === 'program') c.program += mark.count;
    else if (mark.layer === 'pam') c.pam += mark.count;
    else c.summary = true;
    const due = Math.max(c.program, c.pam, c.summary ? 1 : 0) - c.emitted;
    if (due <= 0) {
      this.stats.merged += 1;
      return out;
    }
    const filled = fill(login, c);
    if (mark.layer === 'summary' && !filled.user && !filled.login.sourceIp && !filled.login.sourceHost) {
      this.stats.dropped += 1;
      return out;
    }
    c.emitted += due;
    if (filled.login.sourceHost && !filled.login.sourceIp) {
      if (c.held.length === 0) [c.heldLogMs, c.heldAtMs] = [login.timeMs, this.now()];
      c.held.push(...copies(filled, due));
      this.holding.add(c);
      this.stats.held += due;
      return out;
    }
    out.push(...copies(filled, due));
    return out;
  }

  /** Failures held longer than HOLD_MS on the clock, as they are: a quiet log still reports them. */
  releaseStale(): ParsedLogin[] {
    const before = this.now() - HOLD_MS;
    return this.releaseWhere((c) => c.heldAtMs <= before);
  }

  /** Every failure still held (the log has ended or the collector stops). */
  flush(): ParsedLogin[] {
    return this.releaseWhere(() => true);
  }

  private releaseBefore(logMs: number): ParsedLogin[] {
    return this.releaseWhere((c) => c.heldLogMs <= logMs);
  }

  private releaseWhere(due: (c: Connection) => boolean): ParsedLogin[] {
    const out: ParsedLogin[] = [];
    // Nearly always empty: the common line pays one size check. (Deleting the visited entry is safe.)
    if (this.holding.size === 0) return out;
    for (const c of this.holding) if (due(c)) out.push(...this.release(c));
    return out;
  }

  /** The connection's held failures, with the address (and user) it has learnt since. */
  private release(c: Connection): ParsedLogin[] {
    if (c.held.length === 0) return [];
    const out = c.held.map((login) => fill(login, c));
    this.stats.held -= c.held.length;
    c.held = [];
    this.holding.delete(c);
    return out;
  }

  private alone(login: ParsedLogin): ParsedLogin[] {
    const mark = login.attempt!;
    if (mark.layer === 'summary' && !login.user && !login.login.sourceIp && !login.login.sourceHost) {
      this.stats.dropped += 1;
      return [];
    }
    return copies(login, mark.layer === 'summary' ? 1 : mark.count);
  }

  private expire(nowMs: number): ParsedLogin[] {
    if (nowMs > this.latestMs) this.latestMs = nowMs;
    const out: ParsedLogin[] = [];
    for (const [key, c] of this.connections) {
      if (this.latestMs - c.lastMs <= this.windowMs) break;
      out.push(...this.release(c));
      this.connections.delete(key);
    }
    return out;
  }
}

function sameConnection(c: Connection, login: ParsedLogin, windowMs: number): boolean {
  if (Math.abs(login.timeMs - c.lastMs) > windowMs) return false;
  const l = login.login;
  if (login.user && c.user && login.user !== c.user) return false;
  if (l.sourceIp && c.sourceIp && l.sourceIp !== c.sourceIp) return false;
  return true;
}

function learn(c: Connection, login: ParsedLogin): void {
  c.user ||= login.user;
  c.sourceIp ||= login.login.sourceIp;
  c.sourceHost ||= login.login.sourceHost;
  c.sourcePort ||= login.login.sourcePort;
}

function fill(login: ParsedLogin, c: Connection): ParsedLogin {
  const l = login.login;
  return {
    ...login,
    user: login.user || c.user,
    login: {
      ...l,
      sourceIp: l.sourceIp || c.sourceIp,
      sourceHost: l.sourceHost || c.sourceHost,
      sourcePort: l.sourcePort || c.sourcePort,
    },
  };
}

/** `count` separate failed logons, each standing for one attempt. */
function copies(login: ParsedLogin, count: number): ParsedLogin[] {
  const out: ParsedLogin[] = [];
  for (let i = 0; i < count; i++) {
    out.push({ ...login, login: { ...login.login }, attempt: { ...login.attempt!, count: 1 } });
  }
  return out;
}
