// Parsing of Linux /proc text files (pure functions, see proc(5)).

export interface ProcStat {
  pid: number;
  comm: string;
  state: string;
  ppid: number;
  flags: number;
  /** Field 22: start time after boot, in clock ticks. */
  startTicks: number;
}

/** PF_KTHREAD in the `flags` field marks a kernel thread. */
const PF_KTHREAD = 0x00200000;

/** Parses `/proc/<pid>/stat`. The comm field may itself contain spaces and parentheses. */
export function parseProcStat(text: string): ProcStat | undefined {
  const open = text.indexOf(' (');
  const close = text.lastIndexOf(')');
  if (open < 1 || close < open) return undefined;
  const pid = Number(text.slice(0, open));
  // After ") ": state(3) ppid(4) pgrp(5) session(6) tty_nr(7) tpgid(8) flags(9) … starttime(22)
  const rest = text.slice(close + 2).split(' ');
  if (rest.length < 20) return undefined;
  const ppid = Number(rest[1]);
  const flags = Number(rest[6]);
  const startTicks = Number(rest[19]);
  if (!Number.isInteger(pid) || !Number.isInteger(ppid) || !Number.isFinite(startTicks)) return undefined;
  return { pid, comm: text.slice(open + 2, close), state: rest[0], ppid, flags, startTicks };
}

export function isKernelThread(stat: ProcStat): boolean {
  return (stat.flags & PF_KTHREAD) !== 0 || stat.pid === 2 || stat.ppid === 2;
}

/** The `btime` line of /proc/stat: boot time in seconds since the epoch. */
export function parseBootTimeSeconds(procStat: string): number | undefined {
  const m = /^btime (\d+)$/m.exec(procStat);
  return m ? Number(m[1]) : undefined;
}

/** `/proc/<pid>/cmdline`: NUL-separated arguments, usually NUL-terminated. */
export function parseCmdline(bytes: Buffer): string[] {
  if (bytes.length === 0) return [];
  const text = bytes.toString('utf8');
  const parts = text.split('\0');
  if (parts[parts.length - 1] === '') parts.pop();
  // A process that rewrote its title into one space-separated string has no NULs.
  return parts;
}
