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
import type { FilePortableEvent, PortableEvent } from '../portable/event.schema';
import { DECAYED_SUMS, FEATURE_COUNT, FEATURE_INDEX as F, RARITY_FEATURES } from './feature-definitions';
import { MAX_ROLES, PEER_PRIOR_MIN_WINDOWS, RareEventCounts, surpriseBits } from './rarity';
import { inSyncFolder } from './sync-folders';
import { dayBoundaryHour } from './day-boundary';
import { HourProfile, type HourRange, MIN_HOUR_HISTORY, UserHistory } from './user-history';
import { FAMILIAR_FOLDER_WINDOWS, UnitFolders } from './unit-folders';

/** Each first-time event's feature, in the order of RARE_EVENTS. */
const RARE_EVENT_FEATURES = RARITY_FEATURES.map((name) => F[name]);

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;
/** Entropy (bits per byte) from which a write looks encrypted or compressed. */
export const HIGH_ENTROPY_BITS = 7.5;
/** Share of past activity below which an hour counts as outside usual hours. */
export const OFF_HOURS_PROBABILITY = 0.02;

export interface FeatureWindow {
  user: string;
  /** The workstation with most of the user's events in the window. */
  host: string;
  hosts: string[];
  start: number;
  end: number;
  values: Float64Array;
  /** Active windows of this user before this one (0 = first seen). */
  historyWindows: number;
  role: string | undefined;
  unit: string | undefined;
  /** Distinct ground-truth labels of the window's events (simulated data). */
  labels: string[];
  eventCount: number;
  firstEventAt: number;
  lastEventAt: number;
  /** The user's usual hours before this window, when known. */
  usualHours: HourRange | null;
  /** First logon outside usual hours, for the reason text. */
  offHoursLogonAt: number | null;
  /** Site time zone used for hours of day (minutes east of UTC). */
  utcOffsetMinutes: number;
}

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

/**
 * Patient files a window remembers as opened (a hostile agent may report 600 new ones a minute all
 * day); past it a file opened and copied may count as two touches.
 */
const MAX_READ_FILES = 10_000;

interface OpenWindow {
  window: FeatureWindow;
  hostCounts: Map<string, number>;
  newHosts: Set<string>;
  newProcesses: Set<string>;
  newDestinations: Set<string>;
  newPhiFolders: Set<string>;
  /** Patient-data folders the user's unit hardly knows (another unit's patients), with their files. */
  unitForeignPhiFolders: Map<string, number>;
  phiFolders: Set<string>;
  /** Those the user did more in than open a chart: only that makes a patient the unit's. */
  workedPhiFolders: Set<string>;
  removableHosts: Set<string>;
  /** Types of patient-data files copied to removable media in the window. */
  removablePhiTypes: Set<string>;
  /** Folders (not removable media) patient data was copied into. */
  copyTargets: Set<string>;
  /** Patient files opened or copied from in the window: each touches its patient once, however often. */
  readFiles: Set<string>;
  folders: Set<string>;
  activeHours: Set<number>;
  fileOpsPerHour: Map<number, number>;
  labels: Set<string>;
}

export class FeatureExtractor {
  readonly windowMs: number;
  readonly perHost: boolean;
  private readonly offsetMs: number;
  private readonly histories = new Map<string, UserHistory>();
  /** Hour profiles of everyone and per role: the cold-start reference. */
  private readonly fleetHours = new HourProfile();
  private readonly roleHours = new Map<string, HourProfile>();
  /** Windows with each first-time event, per role and fleet-wide: the prior of every user's rate. */
  private readonly fleetRare = new RareEventCounts();
  private readonly roleRare = new Map<string, RareEventCounts>();
  /** Per unit, the patient-data folders its members worked with. */
  private readonly unitFolders = new UnitFolders();
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
    history.dayBoundaryHour = dayBoundaryHour(this.hourProfile(history), history.dayBoundaryHour);
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
    this.apply(state, history, event, Math.floor((local % DAY_MS) / HOUR_MS), Math.floor(local / HOUR_MS));
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

  /** The hour profile used for a user: their own once they have enough history. */
  hourProfile(history: UserHistory): HourProfile {
    if (history.hours.total >= MIN_HOUR_HISTORY) return history.hours;
    const role = history.role ? this.roleHours.get(history.role) : undefined;
    if (role && role.total >= MIN_HOUR_HISTORY) return role;
    return this.fleetHours;
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
    const profile = this.hourProfile(history);
    state = {
      window: {
        user: event.user,
        host: event.host,
        hosts: [],
        start,
        end,
        values: new Float64Array(FEATURE_COUNT),
        historyWindows: history.windows,
        role: history.role,
        unit: history.unit,
        labels: [],
        eventCount: 0,
        firstEventAt: event.time,
        lastEventAt: event.time,
        usualHours: profile.total >= MIN_HOUR_HISTORY ? profile.usualHours() : null,
        offHoursLogonAt: null,
        utcOffsetMinutes: this.offsetMs / 60_000,
      },
      hostCounts: new Map(),
      newHosts: new Set(),
      newProcesses: new Set(),
      newDestinations: new Set(),
      newPhiFolders: new Set(),
      unitForeignPhiFolders: new Map(),
      phiFolders: new Set(),
      workedPhiFolders: new Set(),
      removableHosts: new Set(),
      removablePhiTypes: new Set(),
      copyTargets: new Set(),
      readFiles: new Set(),
      folders: new Set(),
      activeHours: new Set(),
      fileOpsPerHour: new Map(),
      labels: new Set(),
    };
    open.set(key, state);
    return state;
  }

  private apply(
    state: OpenWindow,
    history: UserHistory,
    event: PortableEvent,
    hour: number,
    absoluteHour: number,
  ): void {
    const w = state.window;
    const v = w.values;
    w.eventCount += 1;
    w.lastEventAt = event.time;
    // A session's end is no behaviour: an intrusion from 23:30 to 00:15 made the next day's window,
    // which held only its logoff, a positive with nothing in it to detect.
    if (event.label && event.kind !== 'logoff' && event.kind !== 'device_disconnect') state.labels.add(event.label);
    state.hostCounts.set(event.host, (state.hostCounts.get(event.host) ?? 0) + 1);
    if (!history.hosts.has(event.host)) state.newHosts.add(event.host);
    state.activeHours.add(hour);

    const profile = this.hourProfile(history);
    const trusted = profile.total >= MIN_HOUR_HISTORY;
    if (trusted && event.kind !== 'failed_logon') {
      const probability = profile.probability(hour);
      const rarity = -Math.log2(probability);
      if (rarity > v[F.hour_rarity]) v[F.hour_rarity] = rarity;
    }

    switch (event.kind) {
      case 'logon': {
        v[F.logons] += 1;
        if (trusted && profile.probability(hour) < OFF_HOURS_PROBABILITY) {
          v[F.offhours_logons] += 1;
          if (w.offHoursLogonAt === null) w.offHoursLogonAt = event.time;
        }
        const concurrent = history.openSession(event.host, event.time);
        if (concurrent > v[F.max_concurrent_hosts]) v[F.max_concurrent_hosts] = concurrent;
        break;
      }
      case 'logoff':
        history.closeSession(event.host);
        break;
      case 'failed_logon':
        v[F.failed_logons] += 1;
        break;
      case 'device_connect':
        if (event.removable) {
          v[F.removable_connects] += 1;
          state.removableHosts.add(event.host);
        }
        break;
      case 'process_start': {
        v[F.process_starts] += 1;
        const name = baseName(event.executable);
        // A known one used again is kept as recently used (user-history.ts: the least recent are forgotten).
        if (history.processes.has(name)) history.processes.add(name);
        else state.newProcesses.add(name);
        break;
      }
      case 'privilege_use':
        v[F.privilege_uses] += 1;
        break;
      case 'net_connect':
        if (history.destinations.has(event.remoteAddress)) history.destinations.add(event.remoteAddress);
        else state.newDestinations.add(event.remoteAddress);
        break;
      case 'file_read':
      case 'file_create':
      case 'file_write':
      case 'file_delete':
      case 'file_rename':
      case 'file_copy': {
        const phi = event.folderClass === 'phi';
        // A chart opened is a touch of its patient, counted once a window: where reads are audited the
        // agent reports a chart copied out twice over (its open, then the copy), and a copy adds only
        // what a copy adds. Reads are not copies out (phi_reads): staff open dozens a day.
        const reading = phi && (event.kind === 'file_read' || event.kind === 'file_copy');
        const readBefore = reading && state.readFiles.has(event.path);
        if (reading && !readBefore && state.readFiles.size < MAX_READ_FILES) state.readFiles.add(event.path);
        if (!readBefore) this.fileTouched(state, history, event, absoluteHour);
        if (event.kind === 'file_read') break;
        if (
          event.folderClass === 'removable' ||
          (event.kind === 'file_copy' && event.targetFolderClass === 'removable')
        )
          state.removableHosts.add(event.host);
        if (event.kind === 'file_delete') {
          if (phi) v[F.phi_deletes] += 1;
        } else if (event.kind === 'file_copy') {
          if (phi) v[F.phi_reads] += 1;
          if (phi && event.targetFolderClass !== 'removable') {
            v[F.phi_copies_elsewhere] += 1;
            if (inSyncFolder(event.targetPath)) v[F.phi_copies_to_sync] += 1;
            state.copyTargets.add(parentFolder(event.targetPath));
          }
          if (event.targetFolderClass === 'removable') v[F.removable_writes] += 1;
          if (phi && event.targetFolderClass === 'removable') state.removablePhiTypes.add(fileType(event));
        } else {
          if (phi && event.kind === 'file_rename') v[F.phi_renames] += 1;
          else if (phi) v[F.phi_writes] += 1;
          if ((event.entropy ?? 0) >= HIGH_ENTROPY_BITS) v[F.high_entropy_writes] += 1;
        }
        if (event.folderClass === 'removable' && event.kind !== 'file_delete' && event.kind !== 'file_copy') {
          v[F.removable_writes] += 1;
        }
        break;
      }
      default:
        break;
    }
  }

  /** A file event's folder, its patients (whose unit knows them) and the hour's file operations. */
  private fileTouched(state: OpenWindow, history: UserHistory, event: FilePortableEvent, absoluteHour: number): void {
    const v = state.window.values;
    const folder = parentFolder(event.path);
    state.folders.add(folder);
    if (event.folderClass === 'phi') {
      state.phiFolders.add(folder);
      if (event.kind !== 'file_read') state.workedPhiFolders.add(folder);
      const own = history.phiFolders.get(folder) ?? 0;
      if (own < FAMILIAR_FOLDER_WINDOWS) state.newPhiFolders.add(folder);
      // From the user's second window: on the first days every folder is new to the unit.
      if (history.unit && history.windows > 0 && !this.unitFolders.familiar(history.unit, folder, event.user, own)) {
        const files = (state.unitForeignPhiFolders.get(folder) ?? 0) + 1;
        state.unitForeignPhiFolders.set(folder, files);
        v[F.unit_foreign_phi_files] += 1;
        if (files > v[F.unit_foreign_phi_depth]) v[F.unit_foreign_phi_depth] = files;
      }
    }
    state.fileOpsPerHour.set(absoluteHour, (state.fileOpsPerHour.get(absoluteHour) ?? 0) + 1);
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

    this.fillRarity(state, history);
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
    const roleProfile = history.role ? this.roleProfile(history.role) : undefined;
    for (const hour of state.activeHours) {
      history.hours.add(hour);
      this.fleetHours.add(hour);
      roleProfile?.add(hour);
    }
    return w;
  }

  /**
   * The rarity features of a closing window, against the user's past (rarity.ts), then the
   * window is counted. With no past at all nothing is "new" yet: only removable media and
   * off-hours logons, judged by their peers' rates, count in a user's first window.
   */
  private fillRarity(state: OpenWindow, history: UserHistory): void {
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
    const peer = history.role ? this.roleRareCounts(history.role) : undefined;
    const prior = peer && peer.windows >= PEER_PRIOR_MIN_WINDOWS ? peer : this.fleetRare;
    let total = 0;
    happened.forEach((h, i) => {
      if (!h) return;
      let bits = surpriseBits(history.rare, prior, i);
      if (i === 0 && [...state.removableHosts].some((host) => !history.removableHosts.has(host))) bits += 1;
      v[RARE_EVENT_FEATURES[i]] = bits;
      total += bits;
    });
    history.rare.add(happened, state.window.start);
    this.fleetRare.add(happened, state.window.start);
    peer?.add(happened, state.window.start);
    const sums = history.decayed.add(
      state.window.start,
      DECAYED_SUMS.map(({ of }) => (of === 'rarity' ? total : v[F[of]])),
    );
    DECAYED_SUMS.forEach(({ sum }, i) => (v[F[sum]] = sums[i]));
  }

  /** The role's counts; beyond MAX_ROLES roles (hostile input) a new role has none. */
  private roleRareCounts(role: string): RareEventCounts | undefined {
    let counts = this.roleRare.get(role);
    if (!counts && this.roleRare.size < MAX_ROLES) {
      counts = new RareEventCounts();
      this.roleRare.set(role, counts);
    }
    return counts;
  }

  private roleProfile(role: string): HourProfile {
    let profile = this.roleHours.get(role);
    if (!profile) {
      profile = new HourProfile();
      this.roleHours.set(role, profile);
    }
    return profile;
  }
}

function baseName(path: string): string {
  const slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return path.slice(slash + 1).toLowerCase();
}

/** A file's type: its extension as sent, else the one of its name (lower case); '' without one. */
function fileType(event: { path: string; extension?: string }): string {
  if (event.extension) return event.extension.toLowerCase().replace(/^\./, '');
  const name = baseName(event.path);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1) : '';
}

function parentFolder(path: string): string {
  const slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return slash <= 0 ? '/' : path.slice(0, slash);
}

/** The features a window counts in sets and maps as it goes, written into its values. */
function fillCountedFeatures(state: OpenWindow, values: Float64Array): void {
  values[F.new_hosts] = state.newHosts.size;
  values[F.distinct_hosts] = state.hostCounts.size;
  values[F.new_processes] = state.newProcesses.size;
  values[F.new_net_destinations] = state.newDestinations.size;
  values[F.distinct_folders] = state.folders.size;
  let peak = 0;
  for (const count of state.fileOpsPerHour.values()) if (count > peak) peak = count;
  values[F.peak_hour_file_ops] = peak;
}
