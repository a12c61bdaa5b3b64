// Small synchronous readers of /proc/PID files for the process finder. Each one
// answers null when the process has gone (or is not ours to read) instead of
// throwing: a pid can vanish between listing /proc and reading it.
import { readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';

export interface ProcIo {
  /** Bytes the process asked to write (write(2) and friends), cached or not. */
  wchar: number;
  /** write-like system calls made. */
  syscw: number;
}

/** Numeric entries of /proc, at most `max` of them. */
export function listPids(procRoot: string, max: number): number[] {
  const pids: number[] = [];
  for (const name of readdirSync(procRoot)) {
    const code = name.charCodeAt(0);
    if (code < 48 || code > 57) continue;
    const pid = Number(name);
    if (Number.isInteger(pid) && pid > 0) pids.push(pid);
    if (pids.length >= max) break;
  }
  return pids;
}

/**
 * Field 22 of /proc/PID/stat: start time in clock ticks after boot. The command
 * name (field 2) may hold spaces and parentheses, so fields are counted after
 * the last ')'.
 */
export function parseStartTime(stat: string): number | null {
  const close = stat.lastIndexOf(')');
  if (close < 0) return null;
  const fields = stat.slice(close + 2).split(' ');
  // fields[0] is field 3 (state): field 22 is fields[19].
  const value = Number(fields[19]);
  return Number.isFinite(value) ? value : null;
}

export function readStartTime(procRoot: string, pid: number): number | null {
  try {
    return parseStartTime(readFileSync(`${procRoot}/${pid}/stat`, 'latin1'));
  } catch {
    return null;
  }
}

export function parseIo(text: string): ProcIo | null {
  const wchar = /^wchar:\s*(\d+)/m.exec(text);
  const syscw = /^syscw:\s*(\d+)/m.exec(text);
  if (!wchar || !syscw) return null;
  return { wchar: Number(wchar[1]), syscw: Number(syscw[1]) };
}

/** Needs the same uid or root (ptrace access); null otherwise. */
export function readIo(procRoot: string, pid: number): ProcIo | null {
  try {
    return parseIo(readFileSync(`${procRoot}/${pid}/io`, 'latin1'));
  } catch {
    return null;
  }
}

export function readLink(path: string): string | null {
  try {
    return readlinkSync(path);
  } catch {
    return null;
  }
}

/** File descriptor numbers of the process, at most `max`; null when unreadable. */
export function listFds(procRoot: string, pid: number, max: number): string[] | null {
  try {
    const fds = readdirSync(`${procRoot}/${pid}/fd`);
    return fds.length > max ? fds.slice(0, max) : fds;
  } catch {
    return null;
  }
}

export function ownerUid(procRoot: string, pid: number): number | null {
  try {
    return statSync(`${procRoot}/${pid}`).uid;
  } catch {
    return null;
  }
}
