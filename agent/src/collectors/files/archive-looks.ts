// When a new archive outside the patient-data folders is looked inside (archive-lineage.ts), and
// how many of its copies were reported already. A tar stream has no directory to tell it is whole,
// and reading it again on every write of a `tar czf` to a slow stick would read it from the start
// each time: an archive is looked inside once it has been left alone for `quietMs`.
import { RecentMap } from '@wardwatch/shared/agent';

/** Past this many archives waiting, a new one waits for none (looked inside when it comes). */
const MAX_WAITING = 1_000;
/** Archives whose reported copies are remembered: a tar read again reports only what it found since. */
const MAX_REMEMBERED = 10_000;

export class ArchiveLooks {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly reported = new RecentMap<string, number>(MAX_REMEMBERED);

  constructor(
    private readonly quietMs: number,
    /** Looks inside the archive at `path` (the collector runs it in its order). */
    private readonly look: (path: string) => void,
  ) {}

  /** Whether `path` waits to be looked inside. */
  waiting(path: string): boolean {
    return this.timers.has(path);
  }

  /** Looks inside `path` once it has been quiet for `quietMs` from now (a wait already running starts again). */
  whenQuiet(path: string): void {
    const pending = this.timers.get(path);
    if (pending) clearTimeout(pending);
    else if (this.timers.size >= MAX_WAITING) return this.look(path);
    const timer = setTimeout(() => {
      this.timers.delete(path);
      this.look(path);
    }, this.quietMs);
    timer.unref();
    this.timers.set(path, timer);
  }

  /**
   * A waiting archive renamed (a tool writing under a temporary name, then giving it its own): it
   * is looked inside under its new name, with what was reported of it. False if none was waiting.
   */
  moved(from: string, to: string): boolean {
    const timer = this.timers.get(from);
    if (timer === undefined) return false;
    clearTimeout(timer);
    this.timers.delete(from);
    const reported = this.reported.get(from);
    if (reported !== undefined) this.reported.set(to, reported);
    return true;
  }

  /** How many of the archive's copies were reported so far. */
  reportedOf(path: string): number {
    return this.reported.get(path) ?? 0;
  }

  /** Raises the count of the archive's reported copies (never lowers it: entries once seen stay told). */
  report(path: string, copies: number): void {
    this.reported.set(path, Math.max(this.reportedOf(path), copies));
  }

  /** A new file where an archive was: nothing of it was reported. */
  forget(path: string): void {
    this.reported.delete(path);
  }

  stop(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
