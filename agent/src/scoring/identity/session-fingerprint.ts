// Behavioural identity (issue #10, item 5): what a user's sessions usually look
// like — the workstations, the hours of the week, the programs and the logon
// methods — counted per user, per peer group (unit for workstations, role for the
// rest) and for the fleet. The counts are the fingerprint; owner-match.ts judges a
// session against it. Only counts are kept, in memory, bounded per profile so that
// a noisy or hostile account cannot grow it without limit; the fingerprint is
// rebuilt from the scorer's history on start and never leaves the workstation
// (what leaves is a number and count-only reasons).

export const HOURS_PER_WEEK = 168;
/** Distinct items counted per profile and dimension, the "other" bucket included, which later new ones share. */
export const MAX_PROFILE_ITEMS = 512;
/** Programs of one session that are judged (and learned); more add nothing a person could act on. */
export const MAX_SESSION_PROGRAMS = 32;
export const OTHER_ITEM = '\u0000other';

/** One session: a user's activity on one workstation within one scoring window. */
export interface Session {
  user: string;
  host: string;
  role: string | undefined;
  unit: string | undefined;
  /** First event of the session (the logon when there was one). */
  startedAt: number;
  /** Hour of the week of `startedAt` in the site's time: 0 = Monday 00:00–01:00. */
  hourOfWeek: number;
  /** Method of the session's logon (normalised), or null when the window holds no logon. */
  method: string | null;
  /** Base names of the programs started, lower case, at most MAX_SESSION_PROGRAMS. */
  programs: ReadonlySet<string>;
  events: number;
}

/** Bounded counts of one dimension. */
export class ItemCounts {
  readonly counts = new Map<string, number>();
  total = 0;

  add(item: string): void {
    const key = this.counts.has(item) || this.counts.size < MAX_PROFILE_ITEMS - 1 ? item : OTHER_ITEM;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    this.total += 1;
  }

  count(item: string): number {
    return this.counts.get(item) ?? this.counts.get(OTHER_ITEM) ?? 0;
  }

  get distinct(): number {
    return this.counts.size;
  }
}

/** The sessions of one user, or of everyone in a peer group, or of the fleet. */
export class SessionProfile {
  sessions = 0;
  readonly hosts = new ItemCounts();
  readonly hourOfWeek = new Float64Array(HOURS_PER_WEEK);
  readonly hourOfDay = new Float64Array(24);
  /** Sessions in which each program was started (a per-session rate, not a count of starts). */
  readonly programs = new ItemCounts();
  /** Sessions that had a logon, and their methods. */
  readonly methods = new ItemCounts();

  learn(session: Session): void {
    this.sessions += 1;
    this.hosts.add(session.host);
    this.hourOfWeek[session.hourOfWeek] += 1;
    this.hourOfDay[session.hourOfWeek % 24] += 1;
    for (const program of session.programs) this.programs.add(program);
    if (session.method !== null) this.methods.add(session.method);
  }
}

/** Every profile the owner match needs, updated after each window is judged ("new" means new against the past). */
export class FingerprintStore {
  readonly fleet = new SessionProfile();
  private readonly users = new Map<string, SessionProfile>();
  private readonly units = new Map<string, SessionProfile>();
  private readonly roles = new Map<string, SessionProfile>();

  user(user: string): SessionProfile | undefined {
    return this.users.get(user);
  }

  unit(unit: string | undefined): SessionProfile | undefined {
    return unit === undefined ? undefined : this.units.get(unit);
  }

  role(role: string | undefined): SessionProfile | undefined {
    return role === undefined ? undefined : this.roles.get(role);
  }

  learn(session: Session): void {
    profileOf(this.users, session.user).learn(session);
    if (session.unit !== undefined) profileOf(this.units, session.unit).learn(session);
    if (session.role !== undefined) profileOf(this.roles, session.role).learn(session);
    this.fleet.learn(session);
  }
}

function profileOf(map: Map<string, SessionProfile>, key: string): SessionProfile {
  let profile = map.get(key);
  if (!profile) {
    profile = new SessionProfile();
    map.set(key, profile);
  }
  return profile;
}

/** A logon method as a short label ("password", "badge", "smartcard"); anything else is "other". */
export function normaliseMethod(method: string | undefined): string | null {
  if (method === undefined || method === '') return null;
  const lower = method.toLowerCase();
  return /^[a-z0-9_-]{1,24}$/.test(lower) ? lower : 'other';
}
