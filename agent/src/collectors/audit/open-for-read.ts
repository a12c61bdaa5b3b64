// Which audit SYSCALL records are a file opened to be read: open and openat
// (the calls glibc's fopen, open and a viewer's load go through) and openat2 that
// succeeded with the read-only access mode. Opened for writing too (O_RDWR,
// O_WRONLY) is the file collector's (a change it reports with its actor); O_PATH
// opens nothing's content. openat2 keeps its flags in a struct the SYSCALL record
// does not show: the kernel (5.16 on) writes them in an OPENAT2 record of the same
// event, before its PATH records, and until that says "read only" the open is
// nobody's read (a reader choosing openat2 would otherwise go unseen). The
// file-actor index leaves read opens out: a reader is not who changed a file.
import type { AuditRecord } from './audit-record';
import { namesRelativeToCwd } from './audit-syscalls';

/** Per audit arch: syscall number → which argument (a0..a3) holds the open flags. */
const FLAGS_ARG: Record<string, Record<number, number>> = {
  c000003e: { 2: 1, 257: 2 }, // x86_64: open, openat
  c00000b7: { 56: 2 }, // aarch64: openat (no open)
  '40000003': { 5: 1, 295: 2 }, // i386 (a 32-bit program on x86_64): open, openat
};
/** openat2's number, the same on every arch audited here. */
const OPENAT2 = 437;
const O_ACCMODE = 3;
const O_RDONLY = 0;
const O_PATH = 0x200000;

export interface ReadOpen {
  /** A relative name may be resolved against CWD (false: relative to another directory's descriptor). */
  cwdRelative: boolean;
  /** openat2: a read only once the event's OPENAT2 record says so (openat2Reads). */
  flagsToCome: boolean;
}

/** The open this SYSCALL record is, when it opened a file to read it; undefined for anything else. */
export function openForRead(r: AuditRecord): ReadOpen | undefined {
  const f = r.fields;
  if (r.type !== 'SYSCALL' || f.get('success') !== 'yes') return undefined;
  const arch = f.get('arch') ?? '';
  const nr = Number(f.get('syscall'));
  if (nr === OPENAT2 && Object.hasOwn(FLAGS_ARG, arch))
    return { cwdRelative: namesRelativeToCwd(f), flagsToCome: true };
  const arg = FLAGS_ARG[arch]?.[nr];
  if (arg === undefined || !readsOnly(Number.parseInt(f.get(`a${arg}`) ?? '', 16))) return undefined;
  return { cwdRelative: namesRelativeToCwd(f), flagsToCome: false };
}

/** Whether an OPENAT2 record's flags (`oflag=0100000`, octal) open a file only to read it. */
export function openat2Reads(r: AuditRecord): boolean {
  const oflag = r.fields.get('oflag') ?? '';
  return r.type === 'OPENAT2' && /^[0-7]{1,22}$/.test(oflag) && readsOnly(Number.parseInt(oflag, 8));
}

function readsOnly(flags: number): boolean {
  return Number.isSafeInteger(flags) && (flags & O_ACCMODE) === O_RDONLY && (flags & O_PATH) === 0;
}
