// Which removable volumes the RemovableMountGuard made read-only, kept on disk
// (removable-remounted.json in the data folder, 0600, written whole through a temporary
// file and a rename) so that a guard started after a restart can put them back
// read-write when the policy in force no longer asks for read_only.
//
// Invariants: an entry is written before its `remount,ro` runs (a crash in between leaves
// an entry for a volume still writable, which the release check skips), and removed once
// the volume is writable again or gone; at most MAX_REMOUNTED entries; a damaged file
// reads as empty (the volumes then stay read-only until re-plugged, the safe side).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { writeAtomic } from '../../identity/identity-store';

export const REMOUNT_LEDGER_FILE = 'removable-remounted.json';
export const MAX_REMOUNTED = 64;

export const Remounted = z.object({
  mountPoint: z.string().min(1).max(4_096),
  dev: z.string().min(1).max(32),
});
export type Remounted = z.infer<typeof Remounted>;

const StoredLedger = z.object({ remounted: z.array(Remounted).max(MAX_REMOUNTED) });

/** Where the guard keeps its list; the guard only needs these two calls. */
export interface RemountRecord {
  load(): Remounted[];
  save(remounted: readonly Remounted[]): void;
}

export class RemountLedger implements RemountRecord {
  readonly path: string;

  constructor(dataDir: string) {
    this.path = join(dataDir, REMOUNT_LEDGER_FILE);
  }

  load(): Remounted[] {
    if (!existsSync(this.path)) return [];
    try {
      const parsed = StoredLedger.safeParse(JSON.parse(readFileSync(this.path, 'utf8')));
      return parsed.success ? parsed.data.remounted : [];
    } catch {
      return [];
    }
  }

  save(remounted: readonly Remounted[]): void {
    writeAtomic(this.path, JSON.stringify({ remounted }), 0o600);
  }
}
