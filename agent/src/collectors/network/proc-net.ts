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
const ENDPOINT = /^([0-9A-Fa-f]{8}|[0-9A-Fa-f]{32}):([0-9A-Fa-f]{4})$/;

export function parseProcNet(text: string, protocol: NetProtocol, littleEndian = LITTLE_ENDIAN): ProcNetResult {
  const sockets: NetSocket[] = [];
  const errors: string[] = [];
  const lines = text.split('\n');
  for (let i = 1; i < lines.length; i += 1) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    const socket = parseLine(line, protocol, littleEndian);
    if (socket) sockets.push(socket);
    else errors.push(`/proc/net/${protocol} line not understood`);
  }
  return { sockets, errors };
}

function parseLine(line: string, protocol: NetProtocol, littleEndian: boolean): NetSocket | undefined {
  const f = line.split(/\s+/);
  if (f.length < 10 || !/^\d+:$/.test(f[0]!)) return undefined;
  const local = ENDPOINT.exec(f[1]!);
  const remote = ENDPOINT.exec(f[2]!);
  if (!local || !remote || local[1]!.length !== remote[1]!.length || !/^[0-9A-Fa-f]{2}$/.test(f[3]!) || !/^\d+$/.test(f[7]!) || !/^\d+$/.test(f[9]!)) return undefined;
  return {
    protocol,
    localAddress: hexAddress(local[1]!, littleEndian),
    localPort: parseInt(local[2]!, 16),
    remoteAddress: hexAddress(remote[1]!, littleEndian),
    remotePort: parseInt(remote[2]!, 16),
    state: parseInt(f[3]!, 16),
    uid: Number(f[7]),
    inode: Number(f[9]),
  };
}

/** The kernel's hex form of an IPv4 or IPv6 address as text; a v4-mapped v6 address as plain IPv4. */
export function hexAddress(hex: string, littleEndian = LITTLE_ENDIAN): string {
  const bytes: number[] = [];
  for (let word = 0; word < hex.length; word += 8) {
    const w = [0, 2, 4, 6].map((o) => parseInt(hex.slice(word + o, word + o + 2), 16));
    bytes.push(...(littleEndian ? w.reverse() : w));
  }
  if (bytes.length === 4) return bytes.join('.');
  const mapped = bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  if (mapped) return bytes.slice(12).join('.');
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((bytes[i]! << 8) | bytes[i + 1]!);
  return formatIpv6(groups);
}

/** RFC 5952: lower case, no leading zeros, the longest run (≥ 2) of zero groups as "::". */
function formatIpv6(groups: number[]): string {
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
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
