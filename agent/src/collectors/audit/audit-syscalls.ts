// What an audit SYSCALL record says of the names in its PATH records: whether a
// relative one is relative to the working folder (the CWD record) or to a directory
// descriptor the record does not name (`unlinkat(dirfd, "f")`, `openat(dirfd, …)`).
// Shared by the file-actor index and the read collector.

const AT_FDCWD = new Set(['ffffff9c', 'ffffffffffffff9c']);
// Syscalls taking directory fds, by audit arch: number → which of a0..a3 are dirfds.
const DIRFD_ARGS: Record<string, Record<number, readonly number[]>> = {
  c000003e: {
    257: [0],
    258: [0],
    259: [0],
    260: [0],
    261: [0],
    263: [0],
    264: [0, 2],
    265: [0, 2],
    266: [1],
    268: [0],
    280: [0],
    316: [0, 2],
    437: [0],
    452: [0],
  }, // x86_64
  c00000b7: {
    56: [0],
    34: [0],
    33: [0],
    54: [0],
    35: [0],
    38: [0, 2],
    37: [0, 2],
    36: [1],
    53: [0],
    88: [0],
    276: [0, 2],
    437: [0],
    452: [0],
  }, // aarch64
  '40000003': { 295: [0] }, // i386 (a 32-bit program on x86_64): openat
};

/**
 * True when the syscall's relative names are relative to the working folder: its directory
 * descriptor arguments, if any, are all AT_FDCWD. An unknown arch or syscall cannot be trusted so.
 */
export function namesRelativeToCwd(fields: ReadonlyMap<string, string>): boolean {
  const byArch = DIRFD_ARGS[fields.get('arch') ?? ''];
  if (byArch === undefined) return false;
  const dirfds = byArch[Number(fields.get('syscall'))] ?? [];
  return dirfds.every((i) => AT_FDCWD.has(fields.get(`a${i}`) ?? ''));
}
