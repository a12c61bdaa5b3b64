// Builds utmp records in glibc's 64-bit layout, for tests that need a real utmp file.
import { UTMP_RECORD_BYTES } from './utmp-file';

export interface UtmpLogin {
  pid: number;
  tty: string;
  user: string;
  host?: string;
  /** Dotted IPv4 address put in ut_addr_v6. */
  ipv4?: string;
  startSeconds: number;
  /** 7 = USER_PROCESS (default), 8 = DEAD_PROCESS. */
  type?: number;
}

export function utmpRecord(l: UtmpLogin): Buffer {
  const b = Buffer.alloc(UTMP_RECORD_BYTES);
  b.writeInt16LE(l.type ?? 7, 0);
  b.writeInt32LE(l.pid, 4);
  b.write(l.tty, 8, 32, 'latin1');
  b.write(l.tty.slice(-4), 40, 4, 'latin1');
  b.write(l.user, 44, 32, 'latin1');
  b.write(l.host ?? l.ipv4 ?? '', 76, 256, 'latin1');
  b.writeInt32LE(l.startSeconds, 340);
  if (l.ipv4) Buffer.from(l.ipv4.split('.').map(Number)).copy(b, 348);
  return b;
}
