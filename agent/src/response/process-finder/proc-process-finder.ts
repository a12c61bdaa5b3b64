// Which processes are writing in some folders right now, where no audit daemon
// names them (issue #8: stop ransomware early). Three looks at /proc, cheapest
// evidence first, best evidence ranked first:
//  1. audit records, when the agent has them (FileActorIndex): the OS said who wrote;
//  2. a process holding a file under the folder open (/proc/PID/fd/* readlink);
//  3. a process whose working directory is under the folder (/proc/PID/cwd);
//  4. a process that opens, writes and closes too fast to be seen holding a file:
//     /proc/PID/io is read twice `sampleMs` apart and the ones whose write
//     counters (wchar, syscw) moved most are named — only a few, only of the uids
//     already found (or hinted), since a busy browser writes too.
// Bounded: at most `maxProcesses` pids and `maxFdsPerProcess` descriptors each;
// the agent itself is never named; a pid that vanishes mid-scan is skipped.
//
// Fanotify (FAN_MODIFY / FAN_CLOSE_WRITE with the writer's pid on every event, no
// audit daemon needed) would name the writer exactly and at once, but needs
// native code (a helper or an addon, CAP_SYS_ADMIN); this stays pure /proc
// reading until one is built.
import { resolve, sep } from 'node:path';
import type { FileActor } from '../../collectors/files/file-actors';
import type { ProcessFinder, ProcessRef } from '../actions/response-actions';
import { listFds, listPids, ownerUid, readIo, readLink, readStartTime, type ProcIo } from './proc-reader';

export type WriterEvidence = 'audit' | 'open_file' | 'cwd' | 'io';

/** A process found writing, with what gave it away (rank order: audit > open_file > cwd > io). */
export interface FoundWriter extends ProcessRef {
  evidence: WriterEvidence;
  uid: number | null;
  /** Files under the folders it holds open (open_file). */
  openFiles: number;
  /** Bytes it wrote between the two /proc/PID/io reads. */
  writtenBytes: number;
}

/** What the audit index knows (FileActorIndex): recent paths and their writers. */
export interface AuditWriters {
  paths(): Iterable<string>;
  actorOf(path: string): FileActor | undefined;
}

export interface ProcFsProcessFinderOptions {
  procRoot?: string;
  /** Never named (the agent). */
  selfPid?: number;
  /** Time between the two /proc/PID/io reads. */
  sampleMs?: number;
  maxProcesses?: number;
  maxFdsPerProcess?: number;
  /** Processes named on write counters alone, at most. */
  maxIoWriters?: number;
  /** Write calls between the two reads below which a process is not named on counters alone. */
  minWriteCalls?: number;
  audit?: AuditWriters;
  /** Audit records older than this are not evidence of writing now. */
  auditWindowMs?: number;
  now?: () => number;
}

export interface WriterHints {
  /** Uids whose processes may be named on write counters alone (e.g. the owner of the files written). */
  uids?: number[];
}

export class ProcFsProcessFinder implements ProcessFinder {
  private readonly procRoot: string;
  private readonly selfPid: number;
  private readonly now: () => number;
  /** Duration of the last scan in ms (for the status and the benchmark). */
  lastScanMs = 0;

  constructor(private readonly options: ProcFsProcessFinderOptions = {}) {
    this.procRoot = options.procRoot ?? '/proc';
    this.selfPid = options.selfPid ?? process.pid;
    this.now = options.now ?? Date.now;
  }

  async writersIn(folders: string[], hints: WriterHints = {}): Promise<FoundWriter[]> {
    const started = performance.now();
    try {
      return await this.scan(folders, hints);
    } finally {
      this.lastScanMs = performance.now() - started;
    }
  }

  private async scan(folders: string[], hints: WriterHints): Promise<FoundWriter[]> {
    const roots = [...new Set(folders.map((f) => resolve(f)))];
    if (roots.length === 0) return [];
    const under = (path: string) =>
      roots.some((root) => path === root || path.startsWith(root.endsWith(sep) ? root : root + sep));
    const found = new Map<number, FoundWriter>();

    for (const actor of this.auditActors(under)) this.add(found, actor.pid, 'audit', { executable: actor.exe });

    const pids = listPids(this.procRoot, this.options.maxProcesses ?? 4_096).filter((pid) => pid !== this.selfPid);
    const ioStarted = performance.now();
    const before = new Map<number, ProcIo>();
    for (const pid of pids) {
      const io = readIo(this.procRoot, pid);
      if (io) before.set(pid, io);
    }
    const maxFds = this.options.maxFdsPerProcess ?? 1_024;
    for (const pid of pids) {
      if (found.get(pid)?.evidence === 'audit') continue;
      const fds = listFds(this.procRoot, pid, maxFds);
      if (!fds) continue; // gone, or not ours to read
      let open = 0;
      for (const fd of fds) {
        const target = readLink(`${this.procRoot}/${pid}/fd/${fd}`);
        if (target !== null && target.charCodeAt(0) === 47 && under(stripDeleted(target))) open += 1;
      }
      if (open > 0) {
        this.add(found, pid, 'open_file', { openFiles: open });
        continue;
      }
      const cwd = readLink(`${this.procRoot}/${pid}/cwd`);
      if (cwd !== null && under(stripDeleted(cwd))) this.add(found, pid, 'cwd', {});
    }

    // Audit named the writer: no need to guess from counters.
    const byAudit = [...found.values()].some((w) => w.evidence === 'audit');
    const wait = (this.options.sampleMs ?? 30) - (performance.now() - ioStarted);
    if (!byAudit) {
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const deltas: { pid: number; bytes: number; calls: number }[] = [];
      for (const [pid, first] of before) {
        const second = readIo(this.procRoot, pid);
        if (!second) continue;
        const bytes = second.wchar - first.wchar;
        const calls = second.syscw - first.syscw;
        const known = found.get(pid);
        if (known) known.writtenBytes = Math.max(0, bytes);
        else if (calls >= (this.options.minWriteCalls ?? 2) && bytes > 0) deltas.push({ pid, bytes, calls });
      }
      const uids = new Set(hints.uids ?? []);
      for (const writer of found.values()) if (writer.uid !== null) uids.add(writer.uid);
      deltas.sort((a, b) => b.bytes - a.bytes);
      let named = 0;
      for (const delta of deltas) {
        if (named >= (this.options.maxIoWriters ?? 2)) break;
        const uid = ownerUid(this.procRoot, delta.pid);
        if (uids.size > 0 && (uid === null || !uids.has(uid))) continue;
        const executable = readLink(`${this.procRoot}/${delta.pid}/exe`);
        if (executable === null) continue; // a kernel thread, or gone
        if (this.add(found, delta.pid, 'io', { executable, uid, writtenBytes: delta.bytes })) named += 1;
      }
    }
    return [...found.values()].sort(
      (a, b) => RANK[a.evidence] - RANK[b.evidence] || b.openFiles - a.openFiles || b.writtenBytes - a.writtenBytes,
    );
  }

  private auditActors(under: (path: string) => boolean): FileActor[] {
    const audit = this.options.audit;
    if (!audit) return [];
    const since = this.now() - (this.options.auditWindowMs ?? 60_000);
    const actors: FileActor[] = [];
    for (const path of audit.paths()) {
      if (!under(path)) continue;
      const actor = audit.actorOf(path);
      if (actor && actor.pid > 0 && actor.pid !== this.selfPid && actor.timeMs >= since) actors.push(actor);
    }
    return actors;
  }

  /** Adds a live process (start time read now, guarding a reused pid later); false when it is gone. */
  private add(
    found: Map<number, FoundWriter>,
    pid: number,
    evidence: WriterEvidence,
    facts: Partial<Pick<FoundWriter, 'executable' | 'uid' | 'openFiles' | 'writtenBytes'>>,
  ): boolean {
    if (found.has(pid)) return false;
    const startTime = readStartTime(this.procRoot, pid);
    if (startTime === null) return false;
    const executable = facts.executable ?? readLink(`${this.procRoot}/${pid}/exe`) ?? undefined;
    found.set(pid, {
      pid,
      startTime,
      executable: executable ? stripDeleted(executable) : undefined,
      evidence,
      uid: facts.uid !== undefined ? facts.uid : ownerUid(this.procRoot, pid),
      openFiles: facts.openFiles ?? 0,
      writtenBytes: facts.writtenBytes ?? 0,
    });
    return true;
  }
}

const RANK: Record<WriterEvidence, number> = { audit: 0, open_file: 1, cwd: 2, io: 3 };

/** readlink of an unlinked file or executable ends in " (deleted)". */
function stripDeleted(path: string): string {
  return path.endsWith(' (deleted)') ? path.slice(0, -10) : path;
}
