// Turns portable events, in time order, into one feature vector per user and
// window (a day by default; an hour for faster live alerts). A user's day begins
// at their own day boundary (day-boundary.ts: midnight for a day worker, e.g.
// 13:00 for a 19:00–07:00 night shift, so one shift is one window), learned
// from their hours, their peer group's or the fleet's until they have enough;
// `dayBoundary: 'midnight'` keeps calendar days. A window is emitted when an
// event at or after its end arrives, or on flush(); only then is it folded into
// the user's history, so "new" always means new against the past. Per-event
// work is a few map lookups: millions of events per second.
//
// Late events (dated before the current window, e.g. a backlog read after a
// restart) go to windows of their own, kept open apart from the current ones,
// when they are at most `lateWindowMs` before the current window's start and
// fewer than MAX_LATE_WINDOWS are open; such a window closes once it has had no
// event between two closeIdleLate() calls (the live timer), or on flush().
// Anything else is counted in `lateDropped` by reason, never lost silently.
import type { PortableEvent } from '../portable/event.schema';
import { EventCounter } from './event-counter';
import { dayBoundaryHour } from './day-boundary';
import { DECAYED_SUMS, FEATURE_INDEX as F, RARITY_FEATURES } from './feature-definitions';
import { fillCountedFeatures, openWindow, type FeatureWindow, type OpenWindow } from './open-window';
import { PeerGroups } from './peer-groups';
import { surpriseBits } from './rarity';
import { UnitFolders } from './unit-folders';
import { MIN_HOUR_HISTORY, UserHistory } from './user-history';

export type { FeatureWindow } from './open-window';

/** Each first-time event's feature, in the order of RARE_EVENTS. */
const RARE_EVENT_FEATURES = RARITY_FEATURES.map((name) => F[name]);

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;

export interface FeatureExtractorOptions {
  windowMs?: number;
  /** Site time zone offset: hours of day are local hours. */
  utcOffsetMinutes?: number;
  /** One window per (user, workstation) instead of per user; history stays per user. */
  perHost?: boolean;
  /** How far before the current window a late event still gets a window of its own (default 0: none). */
  lateWindowMs?: number;
  /**
   * Where day windows begin: 'shift' (default) at each user's learned day boundary (day-boundary.ts),
   * 'midnight' at local midnight. Windows shorter than a day always align with local midnight.
   */
  dayBoundary?: DayBoundaryMode;
}

export type DayBoundaryMode = 'shift' | 'midnight';

/**
 * Open late windows at most (users × past windows; a workstation has a few users, and two days of
 * hourly windows are 48 per user): beyond, late events are counted, not scored. Bounds the memory.
 */
export const MAX_LATE_WINDOWS = 2_000;

/** Why a late event was not scored. */
export type LateDropReason = 'beyond_late_bound' | 'too_many_late_windows';

export class FeatureExtractor {
  readonly windowMs: number;
  readonly perHost: boolean;
  private readonly offsetMs: number;
  private readonly histories = new Map<string, UserHistory>();
  /** Hours and first-time events per role and fleet-wide: the cold start and every rarity's prior. */
  private readonly peers = new PeerGroups();
  /** Per unit, the patient-data folders its members worked with. */
  private readonly unitFolders = new UnitFolders();
  private readonly counter = new EventCounter(this.peers, this.unitFolders);
  /** The current windows, each with its own end (users' days begin at different hours). */
  private open = new Map<string, OpenWindow>();
  /** The earliest end of the current windows: events before it close nothing (one comparison). */
  private nextEnd = Infinity;
  /** The latest time seen: a window that ended by then is closed, and an event in it is late. */
  private clock = -Infinity;
  /** Per user (or user and workstation), the end of their last closed current window: the next one begins no earlier. */
  private readonly lastEnd = new Map<string, number>();
  private readonly lateWindowMs: number;
  private readonly shifted: boolean;
  /** Open windows of late events, by window start. */
  private lateOpen = new Map<number, Map<string, OpenWindow>>();
  private lateOpenCount = 0;
  /** Late window starts that received an event since the last closeIdleLate(). */
  private lateTouched = new Set<number>();
  /** Start of the window the last pushed event went into (undefined: dropped as late). */
  lastWindowStart: number | undefined;
  /** Late events scored in a window of their own. */
  lateScored = 0;
  /** Late events not scored, by reason. */
  readonly lateDropped: Record<LateDropReason, number> = { beyond_late_bound: 0, too_many_late_windows: 0 };

  constructor(options: FeatureExtractorOptions = {}) {
    this.windowMs = options.windowMs ?? DAY_MS;
    this.lateWindowMs = Math.max(0, options.lateWindowMs ?? 0);
    this.offsetMs = (options.utcOffsetMinutes ?? 0) * 60_000;
    this.perHost = options.perHost ?? false;
    this.shifted = (options.dayBoundary ?? 'shift') === 'shift' && this.windowMs === DAY_MS;
  }

  private key(user: string, host: string): string {
    return this.perHost ? `${user}\u0000${host}` : user;
  }

  /** Late events not scored, all reasons together. */
  get late(): number {
    return this.lateDropped.beyond_late_bound + this.lateDropped.too_many_late_windows;
  }

  /**
   * No late window begins before this (events before it are dropped, counted): the current
   * calendar window's start less the late bound, and less a day when users' days are shifted
   * (a user's current day may have begun up to a day before the calendar's).
   */
  lateLimit(): number {
    return this.alignedStart(this.clock, 0) - (this.shifted ? DAY_MS : 0) - this.lateWindowMs;
  }

  /** Start of the window holding `time` whose boundaries fall at `boundaryHour` local time. */
  private alignedStart(time: number, boundaryHour: number): number {
    const shift = this.offsetMs - boundaryHour * HOUR_MS;
    return Math.floor((time + shift) / this.windowMs) * this.windowMs - shift;
  }

  /** The user's day boundary (local hour) now: learned from the hour profile in use for them. */
  private boundaryHour(history: UserHistory): number {
    if (!this.shifted) return 0;
    history.dayBoundaryHour = dayBoundaryHour(this.peers.hourProfile(history), history.dayBoundaryHour);
    return history.dayBoundaryHour;
  }

  /** Adds one event; returns the windows it closed (possibly none). */
  push(event: PortableEvent): FeatureWindow[] {
    const local = event.time + this.offsetMs;
    const closed = event.time >= this.nextEnd ? this.closeEnded(event.time) : [];
    if (event.time > this.clock) this.clock = event.time;
    const history = this.history(event.user);
    if (event.role) history.role = event.role;
    if (event.unit) history.unit = event.unit;
    const key = this.key(event.user, event.host);
    let state = this.open.get(key);
    if (!state || event.time < state.window.start) {
      const boundary = this.boundaryHour(history);
      const aligned = this.alignedStart(event.time, boundary);
      const end = aligned + this.windowMs;
      // After the boundary moved, the first window begins where the last one ended: no overlap.
      const start = Math.max(aligned, this.lastEnd.get(key) ?? -Infinity);
      if (state || event.time < start || end <= this.clock) {
        // Its window has ended, or would have by now: a late event.
        const late = this.lateWindows(event, aligned, boundary);
        this.lastWindowStart = undefined;
        if (!late) return closed;
        this.lateScored += 1;
        state = this.windowFor(late, event, aligned, end, history);
      } else {
        state = this.windowFor(this.open, event, start, end, history);
        if (end < this.nextEnd) this.nextEnd = end;
      }
    }
    this.lastWindowStart = state.window.start;
    this.counter.count(state, history, event, Math.floor((local % DAY_MS) / HOUR_MS), Math.floor(local / HOUR_MS));
    return closed;
  }

  /** Closes every open window, late ones first (end of input, or shutdown). */
  flush(): FeatureWindow[] {
    return [...this.closeLate(() => true), ...this.closeCurrent()];
  }

  /** Closes every late window now (e.g. after replaying history, whose windows were scored before). */
  closeAllLate(): FeatureWindow[] {
    this.lateTouched = new Set();
    return this.closeLate(() => true);
  }

  /** Closes the late windows that had no event since the last call (a live timer: the backlog is read). */
  closeIdleLate(): FeatureWindow[] {
    const touched = this.lateTouched;
    this.lateTouched = new Set();
    return this.closeLate((bucket) => !touched.has(bucket));
  }

  /** The open windows of a late event's window start, or undefined when it is dropped (counted by reason). */
  private lateWindows(event: PortableEvent, start: number, boundary: number): Map<string, OpenWindow> | undefined {
    if (this.alignedStart(this.clock, boundary) - start > this.lateWindowMs) {
      this.lateDropped.beyond_late_bound += 1;
      return undefined;
    }
    let open = this.lateOpen.get(start);
    if (!open?.has(this.key(event.user, event.host))) {
      if (this.lateOpenCount >= MAX_LATE_WINDOWS) {
        this.lateDropped.too_many_late_windows += 1;
        return undefined;
      }
      this.lateOpenCount += 1;
    }
    if (!open) {
      open = new Map();
      this.lateOpen.set(start, open);
    }
    this.lateTouched.add(start);
    return open;
  }

  /** Closes the current windows that ended by `time`, in the order they were opened. */
  private closeEnded(time: number): FeatureWindow[] {
    const closed: FeatureWindow[] = [];
    let nextEnd = Infinity;
    for (const [key, state] of this.open) {
      const end = state.window.end;
      if (end <= time) {
        closed.push(this.close(state));
        this.open.delete(key);
        this.lastEnd.set(key, end);
      } else if (end < nextEnd) nextEnd = end;
    }
    this.nextEnd = nextEnd;
    return closed;
  }

  private closeCurrent(): FeatureWindow[] {
    const closed: FeatureWindow[] = [];
    for (const [key, state] of this.open) {
      closed.push(this.close(state));
      this.lastEnd.set(key, state.window.end);
    }
    this.open = new Map();
    this.nextEnd = Infinity;
    return closed;
  }

  /** Closes the late windows `which` selects by start, oldest first. */
  private closeLate(which: (start: number) => boolean): FeatureWindow[] {
    const closed: FeatureWindow[] = [];
    for (const start of [...this.lateOpen.keys()].sort((a, b) => a - b)) {
      if (!which(start)) continue;
      const open = this.lateOpen.get(start) ?? new Map<string, OpenWindow>();
      for (const state of open.values()) closed.push(this.close(state));
      this.lateOpenCount -= open.size;
      this.lateOpen.delete(start);
    }
    return closed;
  }

  /** Closes the open windows that ended by `time` (a live timer: days end without events; a training cut-off). */
  advanceTo(time: number): FeatureWindow[] {
    if (time < this.nextEnd) return [];
    if (time > this.clock) this.clock = time;
    return this.closeEnded(time);
  }

  /** A snapshot of a user's open window so far (for an immediate score on a rule hit). */
  peek(user: string, host = ''): FeatureWindow | undefined {
    const state = this.open.get(this.key(user, host));
    if (!state) return undefined;
    const w = state.window;
    const values = Float64Array.from(w.values);
    fillCountedFeatures(state, values);
    return { ...w, values, hosts: [...state.hostCounts.keys()], labels: [...state.labels] };
  }

  history(user: string): UserHistory {
    let history = this.histories.get(user);
    if (!history) {
      history = new UserHistory();
      this.histories.set(user, history);
    }
    return history;
  }

  private windowFor(
    open: Map<string, OpenWindow>,
    event: PortableEvent,
    start: number,
    end: number,
    history: UserHistory,
  ): OpenWindow {
    const key = this.key(event.user, event.host);
    let state = open.get(key);
    if (state) return state;
    const profile = this.peers.hourProfile(history);
    state = openWindow({
      user: event.user,
      host: event.host,
      start,
      end,
      historyWindows: history.windows,
      role: history.role,
      unit: history.unit,
      firstEventAt: event.time,
      usualHours: profile.total >= MIN_HOUR_HISTORY ? profile.usualHours() : null,
      utcOffsetMinutes: this.offsetMs / 60_000,
    });
    open.set(key, state);
    return state;
  }

  private close(state: OpenWindow): FeatureWindow {
    const w = state.window;
    const v = w.values;
    const history = this.history(w.user);
    fillCountedFeatures(state, v);
    let top = 0;
    for (const [host, count] of state.hostCounts) {
      if (count > top) {
        top = count;
        w.host = host;
      }
    }
    w.hosts = [...state.hostCounts.keys()];
    w.labels = [...state.labels];
    w.role = history.role;
    w.unit = history.unit;

    const happened = this.fillRarity(state, history);
    history.windows += 1;
    history.remember(history.hosts, state.hostCounts.keys());
    history.count(history.phiFolders, state.phiFolders);
    // Staff open other units' charts (a transfer, a medication review): reading one does not make it their unit's.
    if (history.unit) this.unitFolders.add(history.unit, w.user, state.workedPhiFolders);
    history.remember(history.removableHosts, state.removableHosts);
    history.remember(history.removablePhiTypes, state.removablePhiTypes);
    history.remember(history.copyTargets, state.copyTargets);
    history.remember(history.processes, state.newProcesses);
    history.remember(history.destinations, state.newDestinations);
    for (const hour of state.activeHours) history.hours.add(hour);
    this.peers.count(history.role, state.activeHours, happened, w.start);
    return w;
  }

  /**
   * The rarity features of a closing window, against the user's past (rarity.ts), then the
   * window is counted in that past; returns which first-time events happened, for the peers'
   * counts. With no past at all nothing is "new" yet: only removable media and off-hours
   * logons, judged by their peers' rates, count in a user's first window.
   */
  private fillRarity(state: OpenWindow, history: UserHistory): boolean[] {
    const v = state.window.values;
    const hasPast = history.windows > 0;
    // In the order of RARE_EVENTS.
    const happened = [
      v[F.removable_connects] + v[F.removable_writes] > 0,
      v[F.offhours_logons] > 0,
      hasPast && state.newHosts.size > 0,
      hasPast && state.newProcesses.size > 0,
      hasPast && state.newPhiFolders.size > 0,
      hasPast && state.unitForeignPhiFolders.size > 0,
      // Only for a user who used removable media before: a first use ever is removable_rarity's.
      history.removableHosts.size > 0 && [...state.removablePhiTypes].some((t) => !history.removablePhiTypes.has(t)),
      // Another unit's patient folder (foreign only from a user's second window: always new then).
      hasPast &&
        history.newForeignFolders.returnsTo(state.unitForeignPhiFolders.keys(), () => true, state.window.start),
      hasPast &&
        history.newCopyTargets.returnsTo(state.copyTargets, (f) => !history.copyTargets.has(f), state.window.start),
      hasPast && v[F.phi_copies_to_sync] > 0,
    ];
    const prior = this.peers.rarePrior(history.role);
    let total = 0;
    happened.forEach((h, i) => {
      if (!h) return;
      let bits = surpriseBits(history.rare, prior, i);
      if (i === 0 && [...state.removableHosts].some((host) => !history.removableHosts.has(host))) bits += 1;
      v[RARE_EVENT_FEATURES[i]] = bits;
      total += bits;
    });
    history.rare.add(happened, state.window.start);
    const sums = history.decayed.add(
      state.window.start,
      DECAYED_SUMS.map(({ of }) => (of === 'rarity' ? total : v[F[of]])),
    );
    DECAYED_SUMS.forEach(({ sum }, i) => (v[F[sum]] = sums[i]));
    return happened;
  }
}
