// The per-user count that closes the gate's process-group escape: a locker whose children each
// call setsid (or setpgid, or double-fork) writes every file from a new group, so no group ever
// reaches `encryptedFiles`. All of them still run as one user. Here each encrypted-looking file
// is remembered per user (the opener's uid) for `windowMs`; `files` of them within the window,
// from at least two process groups (one group alone is the per-group count's to judge), trip the
// user: write opens by that uid in the protected folders are denied for `denyMs`, renewed by each
// denied attempt, never past `denyMaxMs` after the trip (a user's own editor retrying its save
// must not keep the denial up for ever). Reads are not this class's business (the gate lets them
// through).
//
// INVARIANTS: memory is bounded (at most MAX_USERS users remembered, at most `files` files per
// user); a user trips at most once per denial (files written while denied are not counted, so
// one burst is one report); a denial always ends, at most `denyMaxMs` after its trip.
import type { ProcessRef } from '../actions/response-actions';

const MAX_USERS = 1_024;

export interface UserBurstSettings {
  /** Encrypted-looking files by one user, from two groups or more, that trip it. */
  files: number;
  windowMs: number;
  denyMs: number;
  denyMaxMs: number;
}

/** Who wrote one encrypted-looking file: its counting unit (`g<group>` or `p<pid>`) and the process. */
export interface Writer {
  unit: string;
  pid: number;
  ref: ProcessRef | undefined;
}

export interface UserTrip {
  uid: number;
  files: number;
  /** Distinct process groups (or lone processes) among the files. */
  units: number;
  /** The writers of the files in the window, one per process (for the kill). */
  writers: Writer[];
  firstAtMs: number;
  decidedAtMs: number;
  deniedUntilMs: number;
}

interface Hit {
  atMs: number;
  writer: Writer;
}

interface Denial {
  sinceMs: number;
  untilMs: number;
}

export class UserBursts {
  private readonly hits = new Map<number, Hit[]>();
  private readonly denials = new Map<number, Denial>();

  constructor(private readonly settings: UserBurstSettings) {}

  /** One encrypted-looking file written by `uid`: the trip, when this file makes one. */
  written(uid: number, writer: Writer, nowMs: number): UserTrip | undefined {
    if (this.denied(uid, nowMs)) return undefined;
    const recent = (this.hits.get(uid) ?? []).filter((h) => nowMs - h.atMs < this.settings.windowMs);
    recent.push({ atMs: nowMs, writer });
    if (recent.length > this.settings.files) recent.shift();
    this.hits.delete(uid); // re-insert: Map order is then least recently seen first
    this.hits.set(uid, recent);
    if (this.hits.size > MAX_USERS) this.hits.delete(this.hits.keys().next().value!);
    const units = new Set(recent.map((h) => h.writer.unit)).size;
    if (recent.length < this.settings.files || units < 2) return undefined;
    this.hits.delete(uid);
    const denial = { sinceMs: nowMs, untilMs: nowMs + this.settings.denyMs };
    this.denials.set(uid, denial);
    if (this.denials.size > MAX_USERS) this.denials.delete(this.denials.keys().next().value!);
    const byPid = new Map(recent.map((h) => [h.writer.pid, h.writer]));
    return {
      uid,
      files: recent.length,
      units,
      writers: [...byPid.values()],
      firstAtMs: recent[0].atMs,
      decidedAtMs: nowMs,
      deniedUntilMs: denial.untilMs,
    };
  }

  /** Whether `uid`'s write opens are denied now (an ended denial is forgotten). */
  denied(uid: number, nowMs: number): boolean {
    const denial = this.denials.get(uid);
    if (!denial) return false;
    if (nowMs < denial.untilMs) return true;
    this.denials.delete(uid);
    return false;
  }

  /** A write attempt while denied: the denial runs `denyMs` from now, within `denyMaxMs` of its trip. */
  renew(uid: number, nowMs: number): void {
    const denial = this.denials.get(uid);
    if (!denial) return;
    denial.untilMs = Math.max(
      denial.untilMs,
      Math.min(nowMs + this.settings.denyMs, denial.sinceMs + this.settings.denyMaxMs),
    );
  }

  /** Users denied now (status). */
  deniedUsers(nowMs: number): number {
    let count = 0;
    for (const uid of [...this.denials.keys()]) if (this.denied(uid, nowMs)) count += 1;
    return count;
  }
}
