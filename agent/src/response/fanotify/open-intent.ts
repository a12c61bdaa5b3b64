// Whether a process waiting on a FAN_OPEN_PERM event opens its file to write. fanotify does not
// say (the event's fd is the agent's own read-only open), but the opener is blocked inside its
// open syscall until the agent answers, so /proc/PID/task/TID/syscall names the call and its
// arguments (the flags, or for openat2 a pointer to them, read through /proc/PID/mem). Only
// asked for a user whose writes are denied, so the cost falls on a rare path.
//
// 'unknown' (another architecture, a 32-bit process, io_uring, /proc unreadable, no thread found
// in an open call) is for the caller to decide; the gate treats it as a write.
import { closeSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';

export type OpenIntent = 'read' | 'write' | 'unknown';

/** open(2) flags that change the file: O_WRONLY, O_RDWR (O_ACCMODE), O_CREAT, O_TRUNC (the same on x86-64 and arm64). */
const O_ACCMODE = 3n;
const O_CREAT = 0o100n;
const O_TRUNC = 0o1000n;
/** A process with more threads is not scanned whole (the first ones are). */
const MAX_THREADS = 256;

/** Where each open call keeps its flags: an argument's index, 'how' (openat2: *how), or 'write' (creat). */
type FlagsAt = number | 'how' | 'write';
const OPEN_CALLS: Partial<Record<NodeJS.Architecture, Record<number, FlagsAt>>> = {
  // open, openat, creat, open_by_handle_at, openat2
  x64: { 2: 1, 257: 2, 85: 'write', 304: 2, 437: 'how' },
  // openat, open_by_handle_at, openat2 (no open or creat on arm64)
  arm64: { 56: 2, 265: 2, 437: 'how' },
};

/** One line of /proc/TID/syscall: "nr arg0 … arg5 sp pc" while in a call, "-1 sp pc" or "running" otherwise. */
export function parseSyscallLine(line: string): { nr: number; args: bigint[] } | undefined {
  const parts = line.trim().split(' ');
  if (parts.length < 7 || !/^\d+$/.test(parts[0])) return undefined;
  const args: bigint[] = [];
  for (const part of parts.slice(1, 7)) {
    if (!/^0x[0-9a-f]{1,16}$/i.test(part)) return undefined;
    args.push(BigInt(part));
  }
  return { nr: Number(parts[0]), args };
}

export function intentOfFlags(flags: bigint): 'read' | 'write' {
  return (flags & O_ACCMODE) !== 0n || (flags & (O_CREAT | O_TRUNC)) !== 0n ? 'write' : 'read';
}

/**
 * The intent of one thread's call, or undefined when the thread is in no open call.
 * `howFlags` reads openat2's `struct open_how` (its first field, u64 flags) at an address.
 */
export function intentOfCall(
  call: { nr: number; args: bigint[] },
  arch: NodeJS.Architecture,
  howFlags: (address: bigint) => bigint | undefined,
): OpenIntent | undefined {
  const at = OPEN_CALLS[arch]?.[call.nr];
  if (at === undefined) return undefined;
  if (at === 'write') return 'write';
  if (at === 'how') {
    const flags = howFlags(call.args[2]);
    return flags === undefined ? 'unknown' : intentOfFlags(flags);
  }
  return intentOfFlags(call.args[at]);
}

/**
 * The open intent of a process (tgid) waiting on the gate: 'write' if any of its threads is in
 * an open call that writes, 'read' if some are and every one of them reads, 'unknown' otherwise.
 */
export function openIntent(pid: number, root = '/proc', arch: NodeJS.Architecture = process.arch): OpenIntent {
  if (OPEN_CALLS[arch] === undefined) return 'unknown';
  let tids: string[];
  try {
    tids = readdirSync(join(root, String(pid), 'task')).slice(0, MAX_THREADS);
  } catch {
    return 'unknown';
  }
  let seen: OpenIntent | undefined;
  for (const tid of tids) {
    const call = parseSyscallLine(readOrEmpty(join(root, String(pid), 'task', tid, 'syscall')));
    const intent = call && intentOfCall(call, arch, (address) => readHowFlags(join(root, String(pid), 'mem'), address));
    if (intent === 'write') return 'write';
    if (intent === 'unknown' || (intent === 'read' && seen === undefined)) seen = intent;
  }
  return seen ?? 'unknown';
}

function readOrEmpty(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function readHowFlags(memPath: string, address: bigint): bigint | undefined {
  if (address <= 0n || address > BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
  let fd: number | undefined;
  try {
    fd = openSync(memPath, 'r');
    const buffer = Buffer.alloc(8);
    return readSync(fd, buffer, 0, 8, Number(address)) === 8 ? buffer.readBigUInt64LE(0) : undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
