// Linux: the sessions open now, read straight from utmp in glibc's record layout,
// as `who` shows them (a USER_PROCESS record whose process still lives). Reading
// the file costs a fraction of a millisecond; systeminformation.users() spawns
// `who` and `w` through a shell on every call (16 processes every 30 s here), and
// each of those wakes the process collector as well.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { isIPv4 } from 'node:net';
import type { OpenSession, SessionProvider } from './utmp-sessions';

export const UTMP_PATH = '/run/utmp';
/** sizeof(struct utmp) on 64-bit glibc (x86-64 and aarch64 alike). */
export const UTMP_RECORD_BYTES = 384;
const USER_PROCESS = 7;

// Field offsets in the record.
const TYPE = 0;
const PID = 4;
const LINE = { at: 8, length: 32 };
const USER = { at: 44, length: 32 };
const HOST = { at: 76, length: 256 };
const TV_SEC = 340;
const ADDR_V6 = { at: 348, length: 16 };

export function pidAlive(pid: number): boolean {
  return pid > 0 && existsSync(`/proc/${pid}`);
}

/** The open sessions in a utmp image; a trailing partial record is ignored. */
export function parseUtmp(image: Buffer, isAlive: (pid: number) => boolean = pidAlive): OpenSession[] {
  const sessions: OpenSession[] = [];
  for (let at = 0; at + UTMP_RECORD_BYTES <= image.length; at += UTMP_RECORD_BYTES) {
    const record = image.subarray(at, at + UTMP_RECORD_BYTES);
    if (record.readInt16LE(TYPE) !== USER_PROCESS) continue;
    const user = text(record, USER);
    if (!user || !isAlive(record.readInt32LE(PID))) continue;
    sessions.push({
      user,
      tty: text(record, LINE),
      from: origin(record),
      startMs: record.readUInt32LE(TV_SEC) * 1_000,
    });
  }
  return sessions;
}

export function utmpFileSessions(path = UTMP_PATH, isAlive: (pid: number) => boolean = pidAlive): SessionProvider {
  return async () => {
    const image = await readFile(path).catch((error: NodeJS.ErrnoException) => {
      // No utmp (a container, a minimal system): nobody is logged in as far as it can tell.
      if (error.code === 'ENOENT') return Buffer.alloc(0);
      throw error;
    });
    return parseUtmp(image, isAlive);
  };
}

function text(record: Buffer, field: { at: number; length: number }): string {
  const bytes = record.subarray(field.at, field.at + field.length);
  const end = bytes.indexOf(0);
  return bytes
    .subarray(0, end === -1 ? bytes.length : end)
    .toString('utf8')
    .trim();
}

/** Where the session came from: the host field, else the address; '' for a local one. */
function origin(record: Buffer): string {
  const host = text(record, HOST);
  // A local X session names its display as the "host".
  if (host) return host.startsWith(':') ? '' : host;
  const addr = record.subarray(ADDR_V6.at, ADDR_V6.at + ADDR_V6.length);
  if (addr.every((byte) => byte === 0)) return '';
  const v4 = `${addr[0]}.${addr[1]}.${addr[2]}.${addr[3]}`;
  if (addr.subarray(4).every((byte) => byte === 0) && isIPv4(v4)) return v4;
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(addr.readUInt16BE(i).toString(16));
  return groups.join(':');
}
