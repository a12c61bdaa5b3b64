// Linux process table straight from /proc. Per poll it lists /proc and reads
// each `stat` file (one small read per process); the costlier details
// (cmdline, exe link, owner) are read once per process, when it is new.
// Synchronous reads on purpose: for ~600 small files they cost a fraction of
// what as many promises would, and the whole poll takes a few milliseconds.
// Before all that, /proc/loadavg (one tiny read) says whether anything started
// or ended: its last pid moves with every new process or thread, its count of
// tasks with every end. When neither moved, the last snapshot still holds.
import { closeSync, openSync, readdirSync, readFileSync, readlinkSync, readSync, statSync } from 'node:fs';
import { isKernelThread, parseBootTimeSeconds, parseCmdline, parseProcStat, type ProcStat } from './proc-stat';
import type { ProcessInfo, ProcessSource } from './process-source';
import { PasswdUserNames, type UserNames } from '../user-names';

export interface ProcFsSourceOptions {
  root?: string;
  users?: UserNames;
  /** USER_HZ; 100 on every mainstream Linux build. */
  clockTicksPerSecond?: number;
  /** Bytes of cmdline read; more than the reported 2 KiB so redaction sees whole secrets. */
  cmdlineReadBytes?: number;
  /** Scan every poll, ignoring /proc/loadavg (the benchmark's comparison). */
  alwaysScan?: boolean;
}

interface Known {
  startTicks: number;
  /** undefined for kernel threads, which are tracked only to skip them cheaply. */
  info: ProcessInfo | undefined;
}

export class ProcFsSource implements ProcessSource {
  readonly name = 'procfs';
  private readonly root: string;
  private readonly users: UserNames;
  private readonly hz: number;
  private readonly alwaysScan: boolean;
  private readonly statBuffer = Buffer.allocUnsafe(4096);
  private readonly cmdlineBuffer: Buffer;
  private known = new Map<number, Known>();
  private bootTimeMs: number | undefined;
  private lastTasks: string | undefined;
  private lastSnapshot: ProcessInfo[] = [];
  /** Full scans of /proc, and polls that skipped one because /proc/loadavg had not moved. */
  readonly scans = { full: 0, skipped: 0 };

  constructor(options: ProcFsSourceOptions = {}) {
    this.root = options.root ?? '/proc';
    this.users = options.users ?? new PasswdUserNames();
    this.hz = options.clockTicksPerSecond ?? 100;
    this.alwaysScan = options.alwaysScan ?? false;
    this.cmdlineBuffer = Buffer.allocUnsafe(options.cmdlineReadBytes ?? 8192);
  }

  /** Reads synchronously (small procfs/sysfs files, tens of µs); a Promise for the source interface. */
  snapshot(): Promise<ProcessInfo[]> {
    try {
      return Promise.resolve(this.snapshotSync());
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  snapshotSync(): ProcessInfo[] {
    const tasks = this.alwaysScan ? undefined : this.tasksMark();
    if (tasks !== undefined && tasks === this.lastTasks) {
      this.scans.skipped += 1;
      return this.lastSnapshot;
    }
    const out = this.scan();
    this.lastTasks = tasks;
    this.lastSnapshot = out;
    this.scans.full += 1;
    return out;
  }

  /** `running/total last-pid` from /proc/loadavg, e.g. `237 1503`; undefined when unreadable (then every poll scans). */
  private tasksMark(): string | undefined {
    const text = this.readInto(`${this.root}/loadavg`, this.statBuffer);
    const m = text === undefined ? null : /^\S+ \S+ \S+ \d+\/(\d+) (\d+)\s*$/.exec(text);
    return m ? `${m[1]} ${m[2]}` : undefined;
  }

  private scan(): ProcessInfo[] {
    const bootTimeMs = this.bootTime();
    const next = new Map<number, Known>();
    const out: ProcessInfo[] = [];
    for (const name of readdirSync(this.root)) {
      const c = name.charCodeAt(0);
      if (c < 48 || c > 57) continue;
      const pid = Number(name);
      const text = this.readInto(`${this.root}/${name}/stat`, this.statBuffer);
      const stat = text === undefined ? undefined : parseProcStat(text);
      if (!stat) continue; // exited between readdir and read
      const prev = this.known.get(pid);
      const known = prev && prev.startTicks === stat.startTicks ? prev : this.describe(pid, stat, bootTimeMs);
      next.set(pid, known);
      if (known.info) out.push(known.info);
    }
    this.known = next;
    return out;
  }

  private describe(pid: number, stat: ProcStat, bootTimeMs: number): Known {
    if (isKernelThread(stat)) return { startTicks: stat.startTicks, info: undefined };
    const dir = `${this.root}/${pid}`;
    let uid: number | undefined;
    try {
      uid = statSync(dir).uid;
    } catch {
      uid = undefined;
    }
    let executable = '';
    try {
      executable = readlinkSync(`${dir}/exe`).replace(/ \(deleted\)$/, '');
    } catch {
      // not permitted (another user's process without CAP_SYS_PTRACE) or a zombie
    }
    const cmd = this.readBytes(`${dir}/cmdline`, this.cmdlineBuffer);
    const argv = cmd && cmd.length > 0 ? parseCmdline(cmd) : [stat.comm];
    if (!executable && argv[0]?.startsWith('/')) executable = argv[0];
    const info: ProcessInfo = {
      pid,
      ppid: stat.ppid,
      startTimeMs: Math.round(bootTimeMs + (stat.startTicks * 1000) / this.hz),
      uid,
      user: uid === undefined ? '' : this.users.name(uid),
      executable,
      argv,
      imagePath: `${dir}/exe`,
    };
    return { startTicks: stat.startTicks, info };
  }

  private bootTime(): number {
    if (this.bootTimeMs === undefined) {
      const seconds = parseBootTimeSeconds(readFileSync(`${this.root}/stat`, 'utf8'));
      if (seconds === undefined) throw new Error(`${this.root}/stat has no btime line`);
      this.bootTimeMs = seconds * 1000;
    }
    return this.bootTimeMs;
  }

  /** The whole of a small /proc file (up to the buffer's size), copied out of the reused buffer. */
  private readBytes(path: string, buffer: Buffer): Buffer | undefined {
    return withOpenFile(path, (fd) => {
      let filled = 0;
      while (filled < buffer.length) {
        const n = readSync(fd, buffer, filled, buffer.length - filled, null);
        if (n === 0) break;
        filled += n;
      }
      return Buffer.from(buffer.subarray(0, filled));
    });
  }

  /** One read of a one-line /proc file (stat, loadavg), as text, without a copy. */
  private readInto(path: string, buffer: Buffer): string | undefined {
    return withOpenFile(path, (fd) => buffer.toString('latin1', 0, readSync(fd, buffer, 0, buffer.length, null)));
  }
}

/** Runs `read` on the open file; undefined when it cannot be opened or read (the process is gone). */
function withOpenFile<T>(path: string, read: (fd: number) => T): T | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return undefined;
  }
  try {
    return read(fd);
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}
