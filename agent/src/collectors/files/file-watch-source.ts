// Where the file collector's raw notifications come from. Two engines share this
// shape: `native` (one fs.watch per folder, native-watch-source.ts — the default)
// and `chokidar` (chokidar-watch-source.ts — the earlier engine, kept as the
// benchmark's baseline and for platforms where per-folder watches misbehave).
import type { Stats } from 'node:fs';

/** The OS has no watch left (inotify's `max_user_watches`, or descriptors): folders beyond are not watched. */
export class OutOfWatchesError extends Error {}

/** A folder that appears with more than this many entries is reported only in part. */
export const MAX_SCAN_ENTRIES = 10_000;

export interface FileWatchListener {
  /** A file that was not there before (stats when the engine has them). */
  add(path: string, stats?: Stats): void;
  change(path: string, stats?: Stats): void;
  unlink(path: string): void;
  error(error: unknown): void;
  /** Every folder refused a watch earlier (OutOfWatchesError) is watched again, or gone. */
  recovered?(): void;
}

export interface FileWatchSource {
  /** Starts with the folders that exist now; their contents are not reported. */
  start(roots: readonly string[], listener: FileWatchListener): Promise<void>;
  /**
   * A folder that appeared after the start: everything in it is reported as added. With
   * `maxDepth`, only folders at most that many levels below it are watched.
   */
  addRoot(root: string, maxDepth?: number): Promise<void>;
  /** A folder that vanished: let it go, without reporting its files. */
  removeRoot(root: string): void;
  /** Paths of the files of this name known under the roots, outside folder `except` (a copy's sources); an engine that keeps no names has no such method. */
  filesNamed?(name: string, except?: string): string[];
  /** Paths of up to `limit` files of this size in the folders the engine takes sizes of (a renamed copy's sources), outside folder `except`. */
  filesOfSize?(size: number, limit: number, except?: string): string[];
  close(): Promise<void>;
}
