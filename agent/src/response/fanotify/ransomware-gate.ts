// The kernel-side ransomware gate: every open in a protected folder waits for the agent's
// answer (FAN_OPEN_PERM), every file written there is read back through the event's fd
// when closed (FAN_CLOSE_WRITE). A process that writes `encryptedFiles` encrypted-looking
// files (FileLineage: an encrypted copy beside a document, a document rewritten with
// random-looking bytes) is condemned: its further opens are denied and its process tree is
// killed at once. Ransomware in progress is critical: no warning, no cap; the kill is
// logged and reported to the manager as a local action (audited there).
//
// INVARIANT: every permission event gets exactly one answer, whatever happens here. Each
// event is answered in a `finally`, ALLOW unless the process is condemned; an error in the
// decision is counted and answered ALLOW; and the addon itself answers ALLOW to the agent's
// own opens, to what it cannot hand over, and to any event not answered within
// `answerTimeoutMs` (agent/native/fanotify/src/fanotify.c). Allow-listed executables (backup
// tools) are never gated: answered ALLOW before their content is looked at.
//
// Files are counted per process group (a script and every short-lived encryptor it spawns
// share one unless one calls setpgid/setsid), so a locker spreading one file per process is
// condemned as a group: all of its members are denied and killed. A process whose group is
// no unit of its own (group 0 or 1, the agent's own group, gone before it was read) is
// counted alone. The group is read while the open waits for our answer (the process is
// alive then) and remembered for the close that follows, which may come after its exit.
//
// A locker that gives each child its own group (setsid, setpgid, a double fork) escapes that
// count; all its children still run as one user. So every encrypted-looking file is also
// counted per user (the opener's filesystem uid, read with the group), and `user.files` of them
// within `user.windowMs` from two groups or more trip the user (user-bursts.ts): write opens by
// that uid in the protected folders are denied for a bounded time (reads go on: the opener is
// asked what it opens for, open-intent.ts) and the writers still alive are killed. The agent's
// own group, and its own uid unless that is root, are never counted per user (root is: see the
// README, "Root").
//
// With the addon's fast path (fanotify-binding.ts FastPath), the events this class would only
// note (an open to allow, a write below HIGH_ENTROPY) are handled in the addon and never reach
// it; the content memory (the lineage's last entropy per path, the last read) is then the
// addon's, shared. What reaches it is what may need a decision, and, while something is
// condemned or a user denied (`slow`), everything.
import { fstatSync, readlinkSync, readSync, type Stats } from 'node:fs';
import { ENTROPY_SAMPLE_BYTES, roundedEntropy, shannonEntropy } from '../../collectors/files/entropy';
import type { GateSamples } from '../../collectors/files/gate-samples';
import { writeSuspicion } from '../../file-lineage/file-lineage';
import type { ProcessRef } from '../actions/response-actions';
import { MapContentMemory } from './content-memory';
import {
  type ContentMemory,
  FAN_CLOSE_WRITE,
  FAN_OPEN_PERM,
  type FanotifyHandle,
  type GateEvent,
  type SeenOpener,
  type Verdict,
} from './fanotify-binding';
import type { OpenIntent } from './open-intent';
import { type UserBurstSettings, UserBursts, type UserTrip, type Writer } from './user-bursts';

/** Too few bytes say nothing about entropy (a short random file is far below 8 bits per byte). */
const MIN_SAMPLE_BYTES = 512;
const MAX_TRACKED_PIDS = 4_096;
const EXE_CACHE_MS = 2_000;

/** What the gate needs from the process table (the /proc reader in production). */
export interface GateProcesses {
  /** The executable's path; undefined when the process is gone. */
  executable(pid: number): string | undefined;
  /** The process as a ProcessRef (start time guards the kill against a reused pid). */
  ref(pid: number): ProcessRef | undefined;
  /**
   * Who opens: read once while its open waits, remembered for the close. `seen`: what the addon read
   * of it while its open waited, for a process gone since. Undefined when gone and not seen.
   */
  opener(pid: number, seen?: SeenOpener): Opener | undefined;
  /** What a process waiting on an open opens for (asked only for a denied user). */
  intent(pid: number): OpenIntent;
}

export interface Opener {
  /** The process group to count it in; undefined when it is no unit of its own (see above). */
  group: number | undefined;
  /** The uid to count it under; undefined when never counted per user (the agent's own). */
  uid: number | undefined;
  ref: ProcessRef;
}

export interface GateSettings {
  encryptedFiles: number;
  allowExecutables: string[];
  user: UserBurstSettings;
}

/** What the gate did about a process, for the agent's log, status and the manager. */
export interface Condemned {
  /** The process whose write crossed the count. */
  pid: number;
  /** Its process group when counted as one: every member is condemned. */
  group: number | undefined;
  executable: string;
  encryptedFiles: number;
  /** ms (Date.now()) of the first encrypted-looking file and of the decision. */
  firstAtMs: number;
  decidedAtMs: number;
}

export interface GateCounters {
  permissionEvents: number;
  denied: number;
  writesChecked: number;
  suspicious: number;
  allowListed: number;
  errors: number;
  /** Answers given after the addon's timeout had already allowed the open. */
  late: number;
  /** Users tripped by the per-user count, and write opens denied to them since. */
  userTrips: number;
  userDenied: number;
  /** Of those, opens whose intent could not be read (denied as writes). */
  intentUnknown: number;
}

interface Tally {
  files: number;
  firstAtMs: number;
}

interface Cached<T> {
  value: T | undefined;
  atMs: number;
}

export class RansomwareGate {
  readonly counters: GateCounters = {
    permissionEvents: 0,
    denied: 0,
    writesChecked: 0,
    suspicious: 0,
    allowListed: 0,
    errors: 0,
    late: 0,
    userTrips: 0,
    userDenied: 0,
    intentUnknown: 0,
  };
  /** Keyed `p<pid>` or `g<group>`. */
  private readonly tallies = new Map<string, Tally>();
  private readonly condemned = new Set<number>();
  private readonly condemnedGroups = new Set<number>();
  private readonly exeCache = new Map<number, Cached<string>>();
  private readonly openerCache = new Map<number, Cached<Opener>>();
  private readonly users: UserBursts;
  private readonly sample = Buffer.alloc(ENTROPY_SAMPLE_BYTES);
  private readonly shareBuffer = Buffer.alloc(ENTROPY_SAMPLE_BYTES);
  /** Bytes the last entropyOf read into `sample`. */
  private sampled = 0;
  /** The lineage's last entropy per path, and files as the gate last read them (not read again unchanged). */
  private readonly memory: ContentMemory;
  /** Whether the addon was last told to hand over every event. */
  private slow = false;

  constructor(
    private readonly handle: Pick<FanotifyHandle, 'answer'> & Partial<Pick<FanotifyHandle, 'slow' | 'memory'>>,
    private readonly settings: GateSettings,
    private readonly processes: GateProcesses,
    /** Called once per condemned process: kill its tree, report it. Must not throw (errors are its own). */
    private readonly onCondemned: (who: Condemned, ref: ProcessRef | undefined) => void,
    /** Called once per user trip: kill the writers still alive, report it. Must not throw. */
    private readonly onUserTrip: (trip: UserTrip) => void,
    /**
     * A subdirectory opened (listed) in a marked one: marked before the open is answered, so a
     * folder created after the start is gated before anyone can see its files. Must not throw.
     */
    private readonly onDirectory: (path: string) => void = () => undefined,
    private readonly now: () => number = Date.now,
    /** Where written files' samples go for the file collector (it then need not open them: gate-samples.ts). */
    private readonly samples?: GateSamples,
  ) {
    this.users = new UserBursts(settings.user);
    this.memory = handle.memory ?? new MapContentMemory();
  }

  /** The addon's callback: one batch of events, in the kernel's order. */
  handleEvents(events: GateEvent[]): void {
    for (const event of events) this.one(event);
  }

  private one(event: GateEvent): void {
    const permission = (event.mask & FAN_OPEN_PERM) !== 0;
    let verdict: Verdict = permission ? 'allow' : 'none';
    try {
      if (permission) this.counters.permissionEvents += 1;
      // Read while an open waits (the process is alive); a close may come after its exit.
      const opener = this.openerOf(event.pid, event.seen);
      const group = opener?.group;
      if (this.condemned.has(event.pid) || (group !== undefined && this.condemnedGroups.has(group))) {
        if (permission) verdict = 'deny';
        return;
      }
      if (this.allowListed(event.pid)) {
        this.counters.allowListed += 1;
        return;
      }
      if (permission && opener?.uid !== undefined && this.users.denied(opener.uid, this.now())) {
        // A tripped user: writes denied (each attempt renews, within the bound), reads go on.
        const intent = this.processes.intent(event.pid);
        if (intent !== 'read') {
          if (intent === 'unknown') this.counters.intentUnknown += 1;
          this.counters.userDenied += 1;
          this.users.renew(opener.uid, this.now());
          verdict = 'deny';
          return;
        }
      }
      const path = readlinkSync(`/proc/self/fd/${event.fd}`);
      // (FAN_ONDIR is not in the reported mask of a group without file ids: the fd says.)
      const stat = fstatSync(event.fd);
      if (stat.isDirectory()) {
        this.onDirectory(path);
        return;
      }
      // Only regular files: a read from a FIFO or a device in the folder could block the agent.
      if (!stat.isFile()) return;
      if (permission) {
        // The content before this process writes: the "before" of an in-place rewrite. The
        // lineage holds it already when the file is as the gate last read it.
        if (this.memory.unchanged(path, event.fd, stat)) return;
        const entropy = this.entropyOf(event.fd);
        if (entropy !== undefined) this.memory.remember(path, entropy);
        this.memory.readAs(path, event.fd, stat, entropy);
        return;
      }
      if ((event.mask & FAN_CLOSE_WRITE) === 0) return;
      const entropy = this.entropyOf(event.fd);
      if (entropy !== undefined) this.written(event.pid, opener, path, entropy);
      this.memory.readAs(path, event.fd, stat, entropy);
      this.share(event.fd, path, stat, entropy);
    } catch {
      this.counters.errors += 1;
      verdict = permission ? 'allow' : 'none';
    } finally {
      if (verdict === 'deny') this.counters.denied += 1;
      // Before the answer: the addon hands over every event while it holds this one.
      this.tellSlow();
      if (!this.handle.answer(event.fd, verdict)) this.counters.late += 1;
    }
  }

  /** The addon's fast path stands aside while a process or group is condemned or a user denied. */
  private tellSlow(): void {
    if (!this.handle.slow) return;
    const slow = this.condemned.size > 0 || this.condemnedGroups.size > 0 || this.users.deniedUsers(this.now()) > 0;
    if (slow === this.slow) return;
    this.slow = slow;
    this.handle.slow(slow);
  }

  private written(pid: number, opener: Opener | undefined, path: string, entropy: number): void {
    this.counters.writesChecked += 1;
    const before = this.memory.before(path);
    this.memory.remember(path, entropy);
    if (!writeSuspicion(path, entropy, before)) return;
    this.counters.suspicious += 1;
    const group = opener?.group;
    const key = group === undefined ? `p${pid}` : `g${group}`;
    const tally = this.tallies.get(key) ?? { files: 0, firstAtMs: this.now() };
    tally.files += 1;
    this.tallies.delete(key);
    this.tallies.set(key, tally);
    if (this.tallies.size > MAX_TRACKED_PIDS) this.tallies.delete(this.tallies.keys().next().value!);
    if (tally.files < this.settings.encryptedFiles) {
      if (opener?.uid !== undefined) this.countForUser(opener.uid, { unit: key, pid, ref: opener.ref });
      return;
    }
    this.condemned.add(pid);
    if (group !== undefined) this.condemnedGroups.add(group);
    this.tallies.delete(key);
    const who: Condemned = {
      pid,
      group,
      executable: this.processes.executable(pid) ?? '',
      encryptedFiles: tally.files,
      firstAtMs: tally.firstAtMs,
      decidedAtMs: this.now(),
    };
    this.onCondemned(who, this.processes.ref(pid));
  }

  private countForUser(uid: number, writer: Writer): void {
    const trip = this.users.written(uid, writer, this.now());
    if (!trip) return;
    this.counters.userTrips += 1;
    this.onUserTrip(trip);
  }

  /** Users whose write opens are denied now. */
  deniedUsers(): number {
    return this.users.deniedUsers(this.now());
  }

  /** Forget a condemned pid once its process is gone (the pid may be reused). */
  release(pid: number): void {
    this.condemned.delete(pid);
    this.tellSlow();
  }

  /** Forget a condemned group once none of its members is left (the number may be reused). */
  releaseGroup(group: number): void {
    this.condemnedGroups.delete(group);
    this.tellSlow();
  }

  /** Entropy of the first bytes through the event's fd; undefined below MIN_SAMPLE_BYTES (`sampled`: bytes read). */
  private entropyOf(fd: number): number | undefined {
    this.sampled = readSync(fd, this.sample, 0, this.sample.length, 0);
    return this.sampled >= MIN_SAMPLE_BYTES ? shannonEntropy(this.sample, this.sampled) : undefined;
  }

  /** The file collector's sample of a written file, read through the event's fd (gate-samples.ts). */
  private share(fd: number, path: string, stat: Stats, entropy: number | undefined): void {
    if (!this.samples) return;
    const from = this.samples.offsetFor(path, stat.size);
    if (from === undefined) return;
    let value: number;
    if (from === 0)
      value = entropy !== undefined ? Math.round(entropy * 1_000) / 1_000 : roundedEntropy(this.sample, this.sampled);
    else {
      try {
        value = roundedEntropy(this.shareBuffer, readSync(fd, this.shareBuffer, 0, ENTROPY_SAMPLE_BYTES, from));
      } catch {
        return; // not the gate's error: the collector reads the file itself
      }
    }
    this.samples.put(path, stat, from, value);
  }

  private allowListed(pid: number): boolean {
    if (this.settings.allowExecutables.length === 0) return false;
    const exe = this.cached(this.exeCache, pid, (p) => this.processes.executable(p));
    // Whole absolute paths only (config refuses bare names): a copy elsewhere is gated.
    return typeof exe === 'string' && this.settings.allowExecutables.includes(exe);
  }

  private openerOf(pid: number, seen: SeenOpener | undefined): Opener | undefined {
    return this.cached(this.openerCache, pid, (p) => this.processes.opener(p, seen));
  }

  /** One /proc read per process per EXE_CACHE_MS, not one per open. */
  private cached<T>(cache: Map<number, Cached<T>>, pid: number, read: (pid: number) => T | undefined): T | undefined {
    const now = this.now();
    let entry = cache.get(pid);
    if (!entry || now - entry.atMs > EXE_CACHE_MS) {
      // Gone since: what it was is still what its last close is counted as.
      entry = { value: read(pid) ?? entry?.value, atMs: now };
      cache.set(pid, entry);
      if (cache.size > MAX_TRACKED_PIDS) cache.delete(cache.keys().next().value!);
    }
    return entry.value;
  }
}
