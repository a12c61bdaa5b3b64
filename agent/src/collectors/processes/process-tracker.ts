// Which processes started and stopped between two snapshots. A process is
// identified by (pid, start time), so a reused pid is a stop plus a start.
import { type ProcessInfo, processKey } from './process-source';

export interface ProcessChanges {
  started: ProcessInfo[];
  stopped: ProcessInfo[];
}

export class ProcessTracker {
  private current = new Map<string, ProcessInfo>();
  private byPid = new Map<number, ProcessInfo>();
  private primed = false;

  /**
   * The first snapshot only primes the tracker (what already runs is not a
   * start) unless `reportExisting` is set.
   */
  constructor(private readonly reportExisting = false) {}

  update(snapshot: readonly ProcessInfo[]): ProcessChanges {
    const next = new Map<string, ProcessInfo>();
    const byPid = new Map<number, ProcessInfo>();
    const started: ProcessInfo[] = [];
    for (const info of snapshot) {
      const key = processKey(info);
      next.set(key, info);
      byPid.set(info.pid, info);
      if (!this.current.has(key) && (this.primed || this.reportExisting)) started.push(info);
    }
    const stopped: ProcessInfo[] = [];
    for (const [key, info] of this.current) if (!next.has(key)) stopped.push(info);
    this.current = next;
    this.byPid = byPid;
    this.primed = true;
    return { started, stopped };
  }

  running(pid: number): ProcessInfo | undefined {
    return this.byPid.get(pid);
  }

  get size(): number {
    return this.current.size;
  }
}
