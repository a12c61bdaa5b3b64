// What the Linux actions read from /proc: every process with its parent, kernel
// session, owner, audit session and start time. The root is injectable so the parsers
// and the tree walks are tested on fixture trees as well as on the live /proc.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ProcEntry {
  pid: number;
  ppid: number;
  comm: string;
  /** R, S, D, T (stopped), Z (zombie: ended, waiting for its parent), … */
  state: string;
  /** Process group (setpgid; a shell job, a script and what it spawns), stat field 5. */
  pgrp: number;
  /** Kernel session (setsid), stat field 6. */
  sid: number;
  /** stat field 22: clock ticks after boot. With pid, it names one process across pid reuse. */
  startTicks: number;
  /** utime + stime, clock ticks. */
  cpuTicks: number;
  rssPages: number;
  /** Real, effective, saved and filesystem uid (status `Uid:`); undefined when unreadable. */
  uids: [number, number, number, number] | undefined;
  /** Audit session (/proc/PID/sessionid, what logind calls the session id); undefined when unset. */
  auditSession: number | undefined;
}

/** /proc/PID/sessionid when no audit session was ever set (-1 as u32). */
const UNSET_SESSION = 4294967295;

export interface ProcReader {
  readonly selfPid: number;
  pids(): number[];
  /** statOnly: one file per process (tree walks need no owner), uids and session left undefined. */
  read(pid: number, statOnly?: boolean): ProcEntry | undefined;
  all(statOnly?: boolean): ProcEntry[];
}

export class ProcFsReader implements ProcReader {
  constructor(
    private readonly root = '/proc',
    readonly selfPid = process.pid,
  ) {}

  pids(): number[] {
    let names: string[];
    try {
      names = readdirSync(this.root);
    } catch {
      return [];
    }
    return names.filter((n) => /^\d+$/.test(n)).map(Number);
  }

  read(pid: number, statOnly = false): ProcEntry | undefined {
    const dir = join(this.root, String(pid));
    const stat = parseStatLine(readSmall(join(dir, 'stat')) ?? '');
    if (!stat || stat.pid !== pid) return undefined;
    if (statOnly) return { ...stat, uids: undefined, auditSession: undefined };
    const sessionText = readSmall(join(dir, 'sessionid'));
    const session = sessionText === undefined ? NaN : Number(sessionText.trim());
    return {
      ...stat,
      uids: parseStatusUids(readSmall(join(dir, 'status')) ?? ''),
      auditSession: Number.isInteger(session) && session !== UNSET_SESSION ? session : undefined,
    };
  }

  all(statOnly = false): ProcEntry[] {
    const out: ProcEntry[] = [];
    for (const pid of this.pids()) {
      const entry = this.read(pid, statOnly);
      if (entry) out.push(entry);
    }
    return out;
  }
}

type StatFields = Omit<ProcEntry, 'uids' | 'auditSession'>;

/** `/proc/PID/stat`; the comm field may itself hold spaces and parentheses (proc(5)). */
export function parseStatLine(text: string): StatFields | undefined {
  const open = text.indexOf(' (');
  const close = text.lastIndexOf(')');
  if (open < 1 || close < open) return undefined;
  const pid = Number(text.slice(0, open));
  // After ") ": state(3) ppid(4) pgrp(5) session(6) … utime(14) stime(15) … starttime(22) vsize(23) rss(24)
  const rest = text
    .slice(close + 2)
    .trim()
    .split(' ');
  if (rest.length < 22) return undefined;
  const field = (n: number): number => Number(rest[n - 3]);
  const fields = {
    pid,
    ppid: field(4),
    pgrp: field(5),
    sid: field(6),
    cpuTicks: field(14) + field(15),
    startTicks: field(22),
    rssPages: field(24),
  };
  if (!Object.values(fields).every(Number.isInteger)) return undefined;
  return { ...fields, comm: text.slice(open + 2, close), state: rest[0] };
}

/** The `Uid:` line of `/proc/PID/status`: real, effective, saved, filesystem. */
export function parseStatusUids(text: string): [number, number, number, number] | undefined {
  const m = /^Uid:\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*$/m.exec(text);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])] : undefined;
}

function readSmall(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** A zombie or a dying process: it has ended, and is nobody's process or session any more. */
export function isEnded(entry: Pick<ProcEntry, 'state'>): boolean {
  return entry.state === 'Z' || entry.state === 'X';
}

/** A process that has ended: gone from /proc, a zombie, or its pid taken by a newer process. */
export function hasEnded(proc: ProcReader, pid: number, startTicks: number): boolean {
  const now = proc.read(pid, true);
  return !now || isEnded(now) || now.startTicks !== startTicks;
}

/** pid 1, the agent and every ancestor of the agent: never signalled by any action. */
export function protectedPids(proc: ProcReader): Set<number> {
  const out = new Set<number>([1, proc.selfPid]);
  let pid = proc.selfPid;
  for (let i = 0; i < 4096 && pid > 1; i++) {
    const entry = proc.read(pid, true);
    if (!entry) break;
    out.add(entry.ppid);
    pid = entry.ppid;
  }
  return out;
}
