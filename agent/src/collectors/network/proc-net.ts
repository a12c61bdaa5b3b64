// /proc/net/{tcp,tcp6,udp,udp6}: one socket per line after a header (proc(5)):
//    0: 0100007F:1F90 0200A8C0:C350 01 00000000:00000000 00:00000000 00000000  1000  0 123456 1 …
//   sl  local:port    remote:port   st queues…                                 uid  timeout inode
// Addresses are hex in the kernel's byte order, 32 bits at a time (little-endian
// on x86 and ARM); ports are hex, big-endian.
import { endianness } from 'node:os';

export type NetProtocol = 'tcp' | 'udp';

export interface NetSocket {
  protocol: NetProtocol;
  localAddress: string;
  localPort: number;
  remoteAddress: string;
  remotePort: number;
  /** Kernel TCP state: 1 ESTABLISHED, 2 SYN_SENT, 10 LISTEN (for UDP, 1 means connected). */
  state: number;
  uid: number;
  inode: number;
}

export const TCP_ESTABLISHED = 1;
export const TCP_SYN_SENT = 2;
export const TCP_LISTEN = 10;

export interface ProcNetResult {
  sockets: NetSocket[];
  errors: string[];
}

const LITTLE_ENDIAN = endianness() === 'LE';

export function parseProcNet(text: string, protocol: NetProtocol, littleEndian = LITTLE_ENDIAN): ProcNetResult {
  const sockets: NetSocket[] = [];
  const errors: string[] = [];
  const lines = text.split('\n');
  for (let i = 1; i < lines.length; i += 1) {
    const line = lines[i].trim();
    if (line === '') continue;
    const socket = parseLine(line, protocol, littleEndian);
    if (socket) sockets.push(socket);
    else errors.push(`/proc/net/${protocol} line not understood`);
  }
  return { sockets, errors };
}

const HEX = /^[0-9A-Fa-f]+$/;
const DIGITS = /^\d+$/;

/** Fields 0–9 of a line, split on runs of spaces without a regular expression (the hot path of a network poll). */
function fields(line: string): string[] | undefined {
  const out: string[] = [];
  let i = 0;
  const n = line.length;
  while (out.length < 10) {
    while (i < n && line.charCodeAt(i) === 32) i += 1;
    if (i >= n) return undefined;
    const start = i;
    while (i < n && line.charCodeAt(i) !== 32) i += 1;
    out.push(line.slice(start, i));
  }
  return out;
}

function parseLine(line: string, protocol: NetProtocol, littleEndian: boolean): NetSocket | undefined {
  const f = fields(line);
  if (!f) return undefined;
  const [sl, local, remote, state, , , , uid, , inode] = f as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  if (!sl.endsWith(':') || !DIGITS.test(sl.slice(0, -1))) return undefined;
  const width = local.length - 5; // address hex digits before ":PPPP"
  if ((width !== 8 && width !== 32) || remote.length !== local.length || local[width] !== ':' || remote[width] !== ':')
    return undefined;
  if (
    !HEX.test(local.slice(0, width)) ||
    !HEX.test(local.slice(width + 1)) ||
    !HEX.test(remote.slice(0, width)) ||
    !HEX.test(remote.slice(width + 1))
  )
    return undefined;
  if (state.length !== 2 || !HEX.test(state) || !DIGITS.test(uid) || !DIGITS.test(inode)) return undefined;
  return {
    protocol,
    localAddress: hexAddress(local.slice(0, width), littleEndian),
    localPort: parseInt(local.slice(width + 1), 16),
    remoteAddress: hexAddress(remote.slice(0, width), littleEndian),
    remotePort: parseInt(remote.slice(width + 1), 16),
    state: parseInt(state, 16),
    uid: Number(uid),
    inode: Number(inode),
  };
}

/** The kernel's hex form of an IPv4 or IPv6 address as text; a v4-mapped v6 address as plain IPv4. */
export function hexAddress(hex: string, littleEndian = LITTLE_ENDIAN): string {
  if (hex.length === 8) {
    const n = parseInt(hex, 16);
    const b = [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
    return (littleEndian ? b.reverse() : b).join('.');
  }
  const bytes: number[] = [];
  for (let word = 0; word < hex.length; word += 8) {
    const w = [0, 2, 4, 6].map((o) => parseInt(hex.slice(word + o, word + o + 2), 16));
    bytes.push(...(littleEndian ? w.reverse() : w));
  }
  if (bytes.length === 4) return bytes.join('.');
  const mapped = bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  if (mapped) return bytes.slice(12).join('.');
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((bytes[i] << 8) | bytes[i + 1]);
  return formatIpv6(groups);
}

/** RFC 5952: lower case, no leading zeros, the longest run (≥ 2) of zero groups as "::". */
function formatIpv6(groups: number[]): string {
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i += 1;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j += 1;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

export function isLoopback(address: string): boolean {
  return address.startsWith('127.') || address === '::1';
}

export function isUnspecified(address: string): boolean {
  return address === '0.0.0.0' || address === '::';
}
