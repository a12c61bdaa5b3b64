// Whether a folder sits on a network file system (NFS, SMB/CIFS, FUSE mounts such
// as sshfs). On a local disk the collector stats and samples files with
// synchronous calls: a few microseconds each, where the thread-pool round trip of
// the async calls cost about twice the CPU of the whole collector
// (scripts/bench/file-watch.bench.ts). On a network share a call can hang for
// seconds, so there it stays asynchronous and the event loop never waits on it.
import { statfsSync } from 'node:fs';
import { sep } from 'node:path';

// statfs f_type magic numbers (linux/magic.h).
const NETWORK_FS_TYPES = new Set([
  0x6969 /* NFS */, 0x517b /* SMB */, 0xff534d42 /* CIFS */, 0xfe534d42 /* SMB2 */, 0x65735546 /* FUSE */,
  0x564c /* NCP */, 0x73757245 /* CODA */, 0x47504653 /* GPFS */,
]);

export function onNetworkFileSystem(path: string): boolean {
  if (process.platform !== 'linux') return true; // no cheap, sure test elsewhere: stay asynchronous
  try {
    return NETWORK_FS_TYPES.has(Number(statfsSync(path).type) >>> 0);
  } catch {
    return true;
  }
}

/** Remembers, per watched folder, whether it is on a network file system. */
export class FileSystemKinds {
  private readonly network: string[] = [];

  constructor(private readonly probe: (path: string) => boolean = onNetworkFileSystem) {}

  /** Called when a watched folder is (again) present. */
  learn(root: string): void {
    const prefix = root.endsWith(sep) ? root : root + sep;
    const index = this.network.indexOf(prefix);
    const remote = this.probe(root);
    if (remote && index < 0) this.network.push(prefix);
    if (!remote && index >= 0) this.network.splice(index, 1);
  }

  /** True when `path` may be read with synchronous calls. */
  isLocal(path: string): boolean {
    for (const prefix of this.network) if (path.startsWith(prefix)) return false;
    return true;
  }
}
