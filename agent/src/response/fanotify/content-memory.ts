// The gate's content memory in JavaScript: FileLineage's last entropy per path and the identity
// the gate last read each file at. The addon keeps the same memory in C for its fast path
// (fanotify-binding.ts `memory`); this one serves a handle without it (the gate's unit tests).
import type { FileIdentity } from '../../collectors/files/gate-samples';
import { MAX_PATHS } from '../../file-lineage/file-lineage';
import type { ContentMemory } from './fanotify-binding';
import { RecentMap } from '@wardwatch/shared/agent';

/** Files remembered as last read (some 200 bytes each): a ward's working set of documents. */
const MAX_LAST_READ = 16_384;

export class MapContentMemory implements ContentMemory {
  private readonly entropy = new RecentMap<string, number>(MAX_PATHS);
  private readonly lastRead = new RecentMap<string, FileIdentity>(MAX_LAST_READ);

  before(path: string): number | undefined {
    return this.entropy.get(path);
  }

  remember(path: string, entropy: number): void {
    this.entropy.set(path, entropy);
  }

  unchanged(path: string, _fd: number, stat: FileIdentity): boolean {
    const last = this.lastRead.get(path);
    return (
      last !== undefined &&
      last.ino === stat.ino &&
      last.size === stat.size &&
      last.mtimeMs === stat.mtimeMs &&
      last.ctimeMs === stat.ctimeMs
    );
  }

  readAs(path: string, _fd: number, stat: FileIdentity, entropy: number | undefined): void {
    if (entropy === undefined) this.lastRead.delete(path);
    else this.lastRead.set(path, { ino: stat.ino, size: stat.size, mtimeMs: stat.mtimeMs, ctimeMs: stat.ctimeMs });
  }
}
