// The seam to the kernel: the addon in agent/native/fanotify (built at install by
// node-gyp). Where it did not build, or fanotify is not allowed (no CAP_SYS_ADMIN,
// another OS), loading says why and the agent keeps to the /proc path.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { FileIdentity } from '../../collectors/files/gate-samples';

/** fanotify event bits the addon reports (linux/fanotify.h). */
export const FAN_CLOSE_WRITE = 0x08;
export const FAN_OPEN_PERM = 0x10000;

export type Verdict = 'none' | 'allow' | 'deny';
const VERDICT_CODE: Record<Verdict, number> = { none: 0, allow: 1, deny: 2 };

/** What the native gate keeps count of. */
export interface GateStats {
  events: number;
  /** Permission events answered ALLOW by the addon because the agent was too slow. */
  timedOut: number;
  selfAllowed: number;
  overflowAllowed: number;
  pending: number;
  /** Fast path (answered on the addon's thread, no JavaScript): opens allowed, writes checked, other events. */
  fastPermission: number;
  fastWrites: number;
  fastOther: number;
  /** Events handed to JavaScript. */
  handed: number;
  /** Paths in the addon's content memory (the lineage's last entropy, the gate's last read). */
  remembered: number;
}

/** The opener as the addon read it from /proc while its open waited (for a close after its exit). */
export interface SeenOpener {
  pgrp: number;
  startTicks: number;
  /** Filesystem uid (status `Uid:`, 4th). */
  fsuid: number;
}

/** One event: its mask, the process (tgid) and an fd to the file, owned by the receiver until answered. */
export interface GateEvent {
  mask: number;
  pid: number;
  fd: number;
  /** What the addon last read of the opener (fast path only). */
  seen?: SeenOpener;
}

/** A written file's sample taken by the addon's fast path, for the file collector (gate-samples.ts). */
export interface SharedSample {
  path: string;
  identity: FileIdentity;
  /** Rounded entropy from offset 0 (-1: nothing read). */
  fromStart: number;
  /** Where the file grew from since the addon last read it, and the rounded entropy from there; -1: none. */
  grewFrom: number;
  grew: number;
}

/** The fast path: events the gate would only note are handled in the addon (agent/native/fanotify/src/fanotify.c). */
export interface FastPath {
  /** Absolute executables (as /proc/PID/exe names them) whose events go to JavaScript. */
  allowExecutables: string[];
  /** Samples of written files (omitted: none taken). */
  onSamples?: (samples: SharedSample[]) => void;
}

/**
 * What the gate knows of a file's content (FileLineage's last entropy per path, and the identity the
 * gate last read it at), shared with the addon's fast path.
 */
export interface ContentMemory {
  before(path: string): number | undefined;
  remember(path: string, entropy: number): void;
  /** Whether the file (fd, or its stat) is as the gate last read it. */
  unchanged(path: string, fd: number, stat: FileIdentity): boolean;
  /** Notes the file as just read when its entropy went to the lineage (defined); else forgets it. */
  readAs(path: string, fd: number, stat: FileIdentity, entropy: number | undefined): void;
}

/** An open fanotify group (one per agent). */
export interface FanotifyHandle {
  mark(directory: string): void;
  /** Answers a permission event (or releases a notification's fd); false when the addon had already allowed it. */
  answer(fd: number, verdict: Verdict): boolean;
  stats(): GateStats;
  close(): void;
  /** Every event to JavaScript while on (fast path only): something is condemned or denied. */
  slow(on: boolean): void;
  /** The addon's content memory (the fast path notes what it reads there). */
  memory: ContentMemory;
}

export interface FanotifyBinding {
  /** Throws (with the errno's words) when fanotify_init fails. Without `fast`, every event goes to onEvents. */
  open(answerTimeoutMs: number, onEvents: (events: GateEvent[]) => void, fast?: FastPath): FanotifyHandle;
}

interface NativeAddon {
  open(
    timeoutMs: number,
    cb: (events: Float64Array, samples: Float64Array, paths: string) => void,
    fast?: { share: boolean; allow: string[] },
  ): object;
  mark(gate: object, dir: string): void;
  answer(gate: object, fd: number, verdict: number): boolean;
  slow(gate: object, on: boolean): void;
  before(gate: object, path: string): number | undefined;
  remember(gate: object, path: string, entropy: number): void;
  unchanged(gate: object, path: string, fd: number): boolean;
  readAs(gate: object, path: string, fd: number, withEntropy: boolean): void;
  close(gate: object): void;
  stats(gate: object): GateStats;
}

const EVENT_FIELDS = 7;
const SAMPLE_FIELDS = 7;

/** agent/native/fanotify/build/Release, from src/response/fanotify or dist/response/fanotify alike. */
export const ADDON_PATH = join(__dirname, '..', '..', '..', 'native', 'fanotify', 'build', 'Release', 'fanotify.node');

export function loadFanotifyBinding(path = ADDON_PATH): FanotifyBinding | { unavailable: string } {
  if (process.platform !== 'linux') return { unavailable: 'fanotify is Linux only' };
  if (!existsSync(path)) return { unavailable: 'fanotify addon not built' };
  let addon: NativeAddon;
  try {
    addon = createRequire(__filename)(path) as NativeAddon;
  } catch (error) {
    return { unavailable: `fanotify addon failed to load: ${(error as Error).message}` };
  }
  return {
    open(answerTimeoutMs, onEvents, fast) {
      const options = fast && { share: fast.onSamples !== undefined, allow: fast.allowExecutables };
      const gate = addon.open(
        answerTimeoutMs,
        (flat, samples, paths) => {
          // Samples first: they were taken before any event of the same batch was handed over.
          if (samples.length > 0 && fast?.onSamples) fast.onSamples(samplesOf(samples, paths));
          if (flat.length > 0) onEvents(eventsOf(flat));
        },
        options,
      );
      return {
        mark: (dir) => addon.mark(gate, dir),
        answer: (fd, verdict) => addon.answer(gate, fd, VERDICT_CODE[verdict]),
        stats: () => addon.stats(gate),
        close: () => addon.close(gate),
        slow: (on) => addon.slow(gate, on),
        memory: {
          before: (path) => addon.before(gate, path),
          remember: (path, entropy) => addon.remember(gate, path, entropy),
          unchanged: (path, fd) => addon.unchanged(gate, path, fd),
          readAs: (path, fd, _stat, entropy) => addon.readAs(gate, path, fd, entropy !== undefined),
        },
      };
    },
  };
}

function eventsOf(flat: Float64Array): GateEvent[] {
  const events: GateEvent[] = [];
  for (let i = 0; i + EVENT_FIELDS <= flat.length; i += EVENT_FIELDS) {
    const event: GateEvent = { mask: flat[i], pid: flat[i + 1], fd: flat[i + 2] };
    if (flat[i + 3] === 1) event.seen = { pgrp: flat[i + 4], startTicks: flat[i + 5], fsuid: flat[i + 6] };
    events.push(event);
  }
  return events;
}

function samplesOf(flat: Float64Array, paths: string): SharedSample[] {
  const names = paths.split('\0');
  const out: SharedSample[] = [];
  for (let i = 0, n = 0; i + SAMPLE_FIELDS <= flat.length; i += SAMPLE_FIELDS, n++)
    out.push({
      path: names[n],
      identity: { ino: flat[i], size: flat[i + 1], mtimeMs: flat[i + 2], ctimeMs: flat[i + 3] },
      fromStart: flat[i + 4],
      grewFrom: flat[i + 5],
      grew: flat[i + 6],
    });
  return out;
}
