// Starts the ransomware gate where the kernel allows it and says which path protects the
// folders: "fanotify" (opens gated, a locker stopped within its first files) or the
// fallback, today's /proc path (a critical rule hit names the writers, the manager's
// playbook kills them), when the addon is not built or fanotify_init/mark fails.
// The gate's kill goes through the same ResponseActions as a command's (its refusals:
// pid 1, the agent and its ancestors, a reused pid).
import { readdirSync, readFileSync, readlinkSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import type { GateSamples } from '../../collectors/files/gate-samples';
import type { FolderClass } from '../../config/config.schema';
import type { Logger } from '../../logging/logger';
import type { HealthReporter } from '../../status/component-health';
import type { ProcessRef, ResponseActions } from '../actions/response-actions';
import { parseStatusUids, type ProcReader } from '../actions/linux/proc-reader';
import type { FanotifyBinding, FanotifyHandle, GateStats, SeenOpener, SharedSample } from './fanotify-binding';
import { openIntent } from './open-intent';
import { type Condemned, type GateCounters, type Opener, RansomwareGate } from './ransomware-gate';
import type { UserTrip } from './user-bursts';

export const GATE_COMPONENT = 'ransomware-gate';
/** killProcessTree's bound; the leader's tree, first, holds the rest of a script's group. */
const MAX_GROUP_TARGETS = 64;

export interface GateServiceSettings {
  enabled: boolean;
  folderClasses: FolderClass[];
  encryptedFiles: number;
  answerTimeoutMs: number;
  allowExecutables: string[];
  maxDirectories: number;
  /** The per-user count (user-bursts.ts): files from two groups or more within the window trip a user. */
  userFiles: number;
  userWindowSeconds: number;
  userDenySeconds: number;
  userDenyMaxSeconds: number;
}

export interface GateServiceDeps {
  binding: FanotifyBinding | { unavailable: string };
  folders: { path: string; class: FolderClass }[];
  settings: GateServiceSettings;
  actions: Pick<ResponseActions, 'killProcessTree'> | null;
  proc: ProcReader;
  dryRun: boolean;
  logger: Logger;
  health: HealthReporter;
  /** Reports the kill to the manager (a LocalAction, audited there). */
  report: (reason: string) => Promise<void>;
  /** Samples of written files handed to the file collector (gate-samples.ts). */
  samples?: GateSamples;
}

export type GateStatus =
  | {
      path: 'fanotify';
      directories: number;
      counters: GateCounters;
      native: GateStats;
      stopped: number;
      /** Users whose write opens in the protected folders are denied now. */
      deniedUsers: number;
    }
  | { path: 'proc'; reason: string };

export class GateService {
  private handle: FanotifyHandle | null = null;
  private gate: RansomwareGate | null = null;
  private fallback = 'not started';
  private directories = 0;
  private readonly marked = new Set<string>();
  private stopped = 0;
  private kills: Promise<void> = Promise.resolve();

  constructor(private readonly deps: GateServiceDeps) {}

  /** Never throws: a gate that cannot start leaves the /proc path, said in status and health. */
  start(): GateStatus {
    const { settings, binding, logger } = this.deps;
    const roots = this.deps.folders.filter((f) => settings.folderClasses.includes(f.class)).map((f) => f.path);
    // Off by choice (or nothing to protect, or nothing to act with): said in status only.
    const off = !settings.enabled
      ? 'turned off'
      : roots.length === 0
        ? 'no protected folder'
        : !this.deps.actions
          ? 'no response actions on this platform'
          : undefined;
    if (off !== undefined) return this.fallBack(off, false);
    if ('unavailable' in binding) return this.fallBack(binding.unavailable, true);
    try {
      const own = this.deps.proc.read(this.deps.proc.selfPid, true);
      const ownUid = process.getuid?.();
      const allowExecutables = resolved(settings.allowExecutables, logger);
      const samples = this.deps.samples;
      // The fast path: benign opens and writes answered in the addon, written files' samples in batches.
      this.handle = binding.open(settings.answerTimeoutMs, (events) => this.gate?.handleEvents(events), {
        allowExecutables,
        onSamples: samples && ((taken) => shareSamples(samples, taken)),
      });
      this.gate = new RansomwareGate(
        this.handle,
        {
          encryptedFiles: settings.encryptedFiles,
          allowExecutables,
          user: {
            files: settings.userFiles,
            windowMs: settings.userWindowSeconds * 1_000,
            denyMs: settings.userDenySeconds * 1_000,
            denyMaxMs: settings.userDenyMaxSeconds * 1_000,
          },
        },
        {
          executable: (pid) => executableOf(pid),
          ref: (pid) => {
            const entry = this.deps.proc.read(pid, true);
            return entry ? { pid, startTime: entry.startTicks } : undefined;
          },
          opener: (pid, seen) => this.opener(pid, own?.pgrp, ownUid, seen),
          intent: (pid) => openIntent(pid),
        },
        (who, ref) => this.condemned(who, ref),
        (trip) => this.userTripped(trip),
        (dir) => this.markLater(dir),
        Date.now,
        this.deps.samples,
      );
      for (const dir of directoriesUnder(roots, settings.maxDirectories)) this.mark(dir);
    } catch (error) {
      this.stop();
      return this.fallBack(String((error as Error).message ?? error), true);
    }
    logger.info('ransomware gate on: opens in protected folders wait for the agent', {
      directories: this.directories,
      encryptedFiles: settings.encryptedFiles,
    });
    this.deps.health.report(GATE_COMPONENT, 'running');
    return this.status();
  }

  status(): GateStatus {
    if (!this.handle || !this.gate) return { path: 'proc', reason: this.fallback };
    const native = this.handle.stats();
    const counters = { ...this.gate.counters };
    // What the addon's fast path answered and checked without JavaScript counts the same.
    counters.permissionEvents += native.fastPermission;
    counters.writesChecked += native.fastWrites;
    return {
      path: 'fanotify',
      directories: this.directories,
      counters,
      native,
      stopped: this.stopped,
      deniedUsers: this.gate.deniedUsers(),
    };
  }

  /** Waits for the kills under way (tests, shutdown). */
  idle(): Promise<void> {
    return this.kills;
  }

  stop(): void {
    this.handle?.close();
    this.handle = null;
    this.gate = null;
  }

  /** degraded: fanotify was wanted and is not there (health says so: the slower /proc path only). */
  private mark(dir: string): void {
    this.handle!.mark(dir);
    this.marked.add(dir);
    this.directories += 1;
  }

  /** A subdirectory seen opened: marked once, within the bound (beyond it: the /proc path). */
  private markLater(dir: string): void {
    if (this.marked.has(dir) || this.directories >= this.deps.settings.maxDirectories) return;
    try {
      this.mark(dir);
    } catch (error) {
      this.deps.logger.warn('ransomware gate: subfolder not marked', { error: String(error) });
    }
  }

  private fallBack(reason: string, degraded: boolean): GateStatus {
    this.fallback = reason;
    if (degraded) {
      this.deps.logger.warn('ransomware gate off: the /proc path stops ransomware, later', { reason });
      this.deps.health.report(GATE_COMPONENT, 'failed', `fanotify unavailable (${reason}): /proc path only`);
    }
    return this.status();
  }

  private condemned(who: Condemned, ref: ProcessRef | undefined): void {
    const { logger, actions } = this.deps;
    logger.warn('ransomware stopped at the gate: opens denied, process tree killed', { ...who });
    this.kills = this.kills.then(async () => {
      // A group: every member's tree (the script and the encryptor it has under way).
      const targets = who.group === undefined ? (ref ? [ref] : []) : this.groupMembers(who.group);
      try {
        const outcome =
          targets.length > 0
            ? await actions!.killProcessTree(targets, { dryRun: this.deps.dryRun })
            : { ok: false, message: 'process already gone', details: {} };
        if (outcome.ok) this.stopped += 1;
        logger.warn('ransomware gate kill', {
          pid: who.pid,
          group: who.group,
          ok: outcome.ok,
          message: outcome.message,
        });
        const by = who.group === undefined ? `pid ${who.pid}` : `process group ${who.group} (last pid ${who.pid})`;
        await this.deps.report(
          `ransomware gate: ${who.encryptedFiles} encrypted files by ${by} (${who.executable || 'unknown'}); ` +
            `opens denied; kill: ${outcome.message}`,
        );
      } catch (error) {
        logger.error('ransomware gate kill failed', { pid: who.pid, error: String(error) });
      } finally {
        // Opens stay denied until the process is gone; then the pid may be reused.
        if (!ref || !this.deps.proc.read(who.pid, true)) this.gate?.release(who.pid);
        if (who.group !== undefined && this.groupMembers(who.group).length === 0) this.gate?.releaseGroup(who.group);
      }
    });
  }

  /**
   * The opener's group and uid. 0/1: no group of its own; the agent's group: never counted (the
   * agent's tree is never killed), nor per user. The agent's own uid is not counted per user
   * unless it is root: exempting uid 0 would exempt every service and a locker run by one.
   */
  private opener(
    pid: number,
    ownGroup: number | undefined,
    ownUid: number | undefined,
    seen?: SeenOpener,
  ): Opener | undefined {
    const entry = this.deps.proc.read(pid, true);
    // Gone: as the addon read it while its open waited, if it did.
    const now = entry ? { pgrp: entry.pgrp, startTicks: entry.startTicks } : seen;
    if (!now) return undefined;
    const agents = now.pgrp === ownGroup;
    const uid = agents ? undefined : entry ? filesystemUid(pid) : seen?.fsuid;
    return {
      group: now.pgrp > 1 && !agents ? now.pgrp : undefined,
      uid: uid === ownUid && uid !== 0 ? undefined : uid,
      ref: { pid, startTime: now.startTicks },
    };
  }

  /** Many short-lived processes of one user: its write opens are denied already; the writers still alive are killed. */
  private userTripped(trip: UserTrip): void {
    const { logger, actions, settings } = this.deps;
    const seconds = Math.round((trip.decidedAtMs - trip.firstAtMs) / 100) / 10;
    logger.warn('ransomware stopped at the gate: many short-lived processes of one user', {
      uid: trip.uid,
      files: trip.files,
      groups: trip.units,
      pids: trip.writers.map((w) => w.pid),
      deniedUntil: new Date(trip.deniedUntilMs).toISOString(),
    });
    this.kills = this.kills.then(async () => {
      try {
        const targets = trip.writers.flatMap((w) => (w.ref ? [w.ref] : [])).slice(0, MAX_GROUP_TARGETS);
        const alive = targets.filter((t) => this.deps.proc.read(t.pid, true)?.startTicks === t.startTime);
        const outcome =
          alive.length > 0
            ? await actions!.killProcessTree(alive, { dryRun: this.deps.dryRun })
            : { ok: true, message: 'the writers had already ended', details: {} };
        if (outcome.ok) this.stopped += 1;
        logger.warn('ransomware gate kill', { uid: trip.uid, ok: outcome.ok, message: outcome.message });
        // The uid stays in the local log: only root, an OS account, is named to the manager.
        const account = trip.uid === 0 ? 'root' : 'one user account';
        await this.deps.report(
          `ransomware gate: many short-lived processes: ${trip.files} encrypted files in ${seconds} s ` +
            `by ${account} from ${trip.units} process groups; its write opens in protected folders denied ` +
            `for ${settings.userDenySeconds} s (renewed while it tries, at most ${settings.userDenyMaxSeconds} s); ` +
            `kill: ${outcome.message}`,
        );
      } catch (error) {
        logger.error('ransomware gate kill failed', { uid: trip.uid, error: String(error) });
      }
    });
  }

  private groupMembers(group: number): ProcessRef[] {
    return this.deps.proc
      .all(true)
      .filter((e) => e.pgrp === group && e.state !== 'Z')
      .sort((a, b) => Number(b.pid === group) - Number(a.pid === group)) // the leader's tree first
      .slice(0, MAX_GROUP_TARGETS)
      .map((e) => ({ pid: e.pid, startTime: e.startTicks }));
  }
}

/**
 * The allow-list as /proc/PID/exe names it: symbolic links resolved (/usr/bin/python3 runs as
 * /usr/bin/python3.12). A path that does not resolve is kept as written and said in the log.
 */
function resolved(paths: string[], logger: Logger): string[] {
  return paths.map((path) => {
    try {
      return realpathSync(path);
    } catch (error) {
      logger.warn('ransomware gate: allow-listed executable not found, kept as written', {
        path,
        error: String(error),
      });
      return path;
    }
  });
}

/**
 * The addon's samples of written files, kept where they are of the bytes the collector would read:
 * from the offset it asks for (from the start, or where the file grew from), as the gate's share().
 */
function shareSamples(samples: GateSamples, taken: SharedSample[]): void {
  for (const sample of taken) {
    const from = samples.offsetFor(sample.path, sample.identity.size);
    if (from === undefined) continue;
    if (from === 0) samples.put(sample.path, sample.identity, 0, sample.fromStart);
    else if (from === sample.grewFrom) samples.put(sample.path, sample.identity, from, sample.grew);
  }
}

/** The uid the kernel checks the process's opens against (status `Uid:`, 4th). */
function filesystemUid(pid: number): number | undefined {
  try {
    return parseStatusUids(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[3];
  } catch {
    return undefined;
  }
}

function executableOf(pid: number): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/exe`);
  } catch {
    return undefined;
  }
}

/** The folders and their subfolders, breadth first, at most `max` (fanotify marks one directory's children). */
export function directoriesUnder(roots: string[], max: number): string[] {
  const out: string[] = [];
  const queue = [...roots];
  while (queue.length > 0 && out.length < max) {
    const dir = queue.shift()!;
    out.push(dir);
    try {
      for (const entry of readdirSync(dir, { withFileTypes: true }))
        if (entry.isDirectory() && !entry.isSymbolicLink()) queue.push(join(dir, entry.name));
    } catch {
      // unreadable or gone: marked if it was a root (mark throws then), skipped otherwise
    }
  }
  return out;
}
