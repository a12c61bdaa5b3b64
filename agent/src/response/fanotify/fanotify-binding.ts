// The seam to the kernel: the addon in agent/native/fanotify (built at install by
// node-gyp). Where it did not build, or fanotify is not allowed (no CAP_SYS_ADMIN,
// another OS), loading says why and the agent keeps to the /proc path.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

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
}

/** One event: its mask, the process (tgid) and an fd to the file, owned by the receiver until answered. */
export interface GateEvent {
  mask: number;
  pid: number;
  fd: number;
}

/** An open fanotify group (one per agent). */
export interface FanotifyHandle {
  mark(directory: string): void;
  /** Answers a permission event (or releases a notification's fd); false when the addon had already allowed it. */
  answer(fd: number, verdict: Verdict): boolean;
  stats(): GateStats;
  close(): void;
}

export interface FanotifyBinding {
  /** Throws (with the errno's words) when fanotify_init fails. */
  open(answerTimeoutMs: number, onEvents: (events: GateEvent[]) => void): FanotifyHandle;
}

interface NativeAddon {
  open(timeoutMs: number, cb: (flat: number[]) => void): object;
  mark(gate: object, dir: string): void;
  answer(gate: object, fd: number, verdict: number): boolean;
  close(gate: object): void;
  stats(gate: object): GateStats;
}

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
    open(answerTimeoutMs, onEvents) {
      const gate = addon.open(answerTimeoutMs, (flat) => {
        const events: GateEvent[] = [];
        for (let i = 0; i + 2 < flat.length; i += 3) events.push({ mask: flat[i], pid: flat[i + 1], fd: flat[i + 2] });
        onEvents(events);
      });
      return {
        mark: (dir) => addon.mark(gate, dir),
        answer: (fd, verdict) => addon.answer(gate, fd, VERDICT_CODE[verdict]),
        stats: () => addon.stats(gate),
        close: () => addon.close(gate),
      };
    },
  };
}
