// "Is this really X?": how much a session looks like its owner's past sessions
// rather than like anybody's. Per dimension (workstation, hour of the week,
// programs, logon method) the log-likelihood ratio
//   ln P(x | owner) / P(x | fleet)
// where the owner's distribution is smoothed toward their peer group's (unit for
// workstations, role for the rest) and that toward the fleet's, so a new user is
// judged by what their colleagues do and an unknown user with no group by nothing
// (ratio 1, no evidence). Each ratio is clipped, so no single dimension decides,
// and the sum with a prior that most sessions are genuine gives a probability:
//   ownerMatch = σ(Σ ln-ratios + ln(OWNER_PRIOR / (1 − OWNER_PRIOR))).
// Its evidence for the risk score is the log2-odds of "someone else", ≥ 0.
import { HOURS_PER_WEEK, type FingerprintStore, type Session } from './session-fingerprint';

/** Prior share of sessions that are their owner's. */
export const OWNER_PRIOR = 0.9;
/** Weight, in sessions, of the peer group's distribution in a user's own (their own dominates after a few). */
export const OWN_PRIOR_SESSIONS = 4;
/** Weight of the fleet's distribution in a peer group's. */
export const PEER_PRIOR_SESSIONS = 8;
/** Hour of the week backs off to the user's hour of day with this weight (a rota moves the weekday). */
export const WEEKDAY_PRIOR_SESSIONS = 12;
/** Own sessions from which the fingerprint is the user's (before: their peer group's, or the fleet's). */
export const MIN_OWN_SESSIONS = 5;

/** Clipping of each dimension's ln-ratio: [against, for]. */
export const CLIP = {
  host: [-4, 2.5],
  hour: [-3, 2],
  programs: [-5, 2.5],
  method: [-3, 1],
} as const;
/** One program's ln-ratio is clipped here before the programs are summed. */
export const PROGRAM_CLIP = -3;

export type FingerprintSource = 'user' | 'peer' | 'fleet';
export type IdentityDimension = keyof typeof CLIP;

export interface OwnerMatch {
  /** 0–1: probability-like, the session is its owner's. */
  ownerMatch: number;
  /** ln-ratio per dimension after clipping (positive: like the owner). */
  ratios: Record<IdentityDimension, number>;
  /** Bits of evidence that someone else is at work (log2-odds, ≥ 0, uncapped). */
  evidenceBits: number;
  source: FingerprintSource;
  /** Count-only facts, for the reason text: no name, workstation, program or address. */
  facts: {
    newHost: boolean;
    /** Nobody of the user's unit has had a session on this workstation before. */
    newHostForUnit: boolean;
    /** The user has never started a session at this hour of the day. */
    newHour: boolean;
    hourOfWeek: number;
    newPrograms: number;
    /** The method of the logon, when the user has never used it (normalised label). */
    newMethod: string | null;
  };
}

const clip = (x: number, [low, high]: readonly [number, number]) => Math.min(high, Math.max(low, x));
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const PRIOR_LOG_ODDS = Math.log(OWNER_PRIOR / (1 - OWNER_PRIOR));

/** Smoothed share of `count` in `total` toward `prior` with `weight` pseudo-observations. */
function smooth(count: number, total: number, prior: number, weight: number): number {
  return (count + weight * prior) / (total + weight);
}

export function ownerMatch(session: Session, store: FingerprintStore): OwnerMatch {
  const own = store.user(session.user);
  const unit = store.unit(session.unit);
  const role = store.role(session.role);
  const fleet = store.fleet;
  const ownSessions = own?.sessions ?? 0;
  const source: FingerprintSource = ownSessions >= MIN_OWN_SESSIONS ? 'user' : unit || role ? 'peer' : 'fleet';

  // Workstation: the unit's colleagues stand in for a new user.
  const hostFleet = (fleet.hosts.count(session.host) + 1) / (fleet.sessions + fleet.hosts.distinct + 1);
  const hostPeer = unit
    ? smooth(unit.hosts.count(session.host), unit.sessions, hostFleet, PEER_PRIOR_SESSIONS)
    : hostFleet;
  const hostOwn = own ? smooth(own.hosts.count(session.host), own.sessions, hostPeer, OWN_PRIOR_SESSIONS) : hostPeer;

  // Hour of the week, backed off to the hour of day (a rota moves the weekday, rarely the hour).
  const day = session.hourOfWeek % 24;
  const dayFleet = (fleet.hourOfDay[day] + 1) / (fleet.sessions + 24);
  const dayPeer = role ? smooth(role.hourOfDay[day], role.sessions, dayFleet, PEER_PRIOR_SESSIONS) : dayFleet;
  const dayOwn = own ? smooth(own.hourOfDay[day], own.sessions, dayPeer, OWN_PRIOR_SESSIONS) : dayPeer;
  const weekFleet = smooth(fleet.hourOfWeek[session.hourOfWeek], fleet.sessions, dayFleet / 7, 7);
  const weekOwn = own
    ? smooth(own.hourOfWeek[session.hourOfWeek], own.sessions, dayOwn / 7, WEEKDAY_PRIOR_SESSIONS)
    : dayOwn / 7;

  // Programs: the share of sessions that start each one (a per-session rate).
  let programs = 0;
  let newPrograms = 0;
  for (const program of session.programs) {
    const rateFleet = (fleet.programs.count(program) + 0.5) / (fleet.sessions + 1);
    const ratePeer = role
      ? smooth(role.programs.count(program), role.sessions, rateFleet, PEER_PRIOR_SESSIONS)
      : rateFleet;
    const usedBefore = own ? own.programs.count(program) : 0;
    const rateOwn = own ? smooth(usedBefore, own.sessions, ratePeer, OWN_PRIOR_SESSIONS) : ratePeer;
    programs += Math.max(PROGRAM_CLIP, Math.log(rateOwn / rateFleet));
    if (usedBefore === 0 && ownSessions > 0) newPrograms += 1;
  }

  // Logon method, only when the session had a logon.
  let method = 0;
  let newMethod: string | null = null;
  if (session.method !== null) {
    const m = session.method;
    const methodFleet = (fleet.methods.count(m) + 1) / (fleet.methods.total + fleet.methods.distinct + 1);
    const methodPeer = role
      ? smooth(role.methods.count(m), role.methods.total, methodFleet, PEER_PRIOR_SESSIONS)
      : methodFleet;
    const methodOwn = own
      ? smooth(own.methods.count(m), own.methods.total, methodPeer, OWN_PRIOR_SESSIONS)
      : methodPeer;
    method = Math.log(methodOwn / methodFleet);
    if (own && own.methods.total > 0 && own.methods.count(m) === 0) newMethod = m;
  }

  const ratios: Record<IdentityDimension, number> = {
    host: clip(Math.log(hostOwn / hostFleet), CLIP.host),
    hour: clip(Math.log(weekOwn / weekFleet), CLIP.hour),
    programs: clip(programs, CLIP.programs),
    method: clip(method, CLIP.method),
  };
  const logOdds = ratios.host + ratios.hour + ratios.programs + ratios.method + PRIOR_LOG_ODDS;
  return {
    ownerMatch: sigmoid(logOdds),
    ratios,
    evidenceBits: Math.max(0, -logOdds / Math.LN2),
    source,
    facts: {
      newHost: ownSessions > 0 && (own?.hosts.count(session.host) ?? 0) === 0,
      newHostForUnit: unit !== undefined && unit.hosts.count(session.host) === 0,
      newHour: ownSessions >= MIN_OWN_SESSIONS && (own?.hourOfDay[day] ?? 0) === 0,
      hourOfWeek: session.hourOfWeek,
      newPrograms,
      newMethod,
    },
  };
}

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** "Sun 02:00" for an hour of the week. */
export function formatHourOfWeek(hourOfWeek: number): string {
  const h = ((hourOfWeek % HOURS_PER_WEEK) + HOURS_PER_WEEK) % HOURS_PER_WEEK;
  return `${WEEKDAYS[Math.floor(h / 24)]} ${String(h % 24).padStart(2, '0')}:00`;
}

/**
 * The reason text of a session judged unlike its owner: numbers and facts only, e.g.
 * "session unlike this user's own (owner match 3 %): first logon to this workstation for this
 * user; programs never used by this user: 3".
 */
export function ownerMatchReason(match: OwnerMatch): string {
  const f = match.facts;
  const parts: string[] = [];
  if (f.newHost)
    parts.push(`first logon to this workstation for this user${f.newHostForUnit ? ' and their unit' : ''}`);
  else if (f.newHostForUnit) parts.push('a workstation outside the unit');
  if (f.newHour) parts.push(`started ${formatHourOfWeek(f.hourOfWeek)}, an hour this user has not worked`);
  if (f.newPrograms > 0) parts.push(`programs never used by this user: ${f.newPrograms}`);
  if (f.newMethod !== null) parts.push(`logon method never used by this user: ${f.newMethod}`);
  if (parts.length === 0) parts.push('unusual workstation, hours or programs for this user');
  const percent = Math.round(100 * match.ownerMatch);
  const against =
    match.source === 'user'
      ? "this user's own sessions"
      : match.source === 'peer'
        ? "their peer group's"
        : "the fleet's";
  return `session unlike ${against} (owner match ${percent} %): ${parts.join('; ')}`;
}
