// The earlier engine: chokidar 4 with stats on every event. chokidar re-reads a
// folder's listing on each change in it, which costs a full core at ~1,000
// changes/s in folders of 100 files here (scripts/bench/file-watch.bench.ts).
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { watch, type ChokidarOptions, type FSWatcher } from 'chokidar';
import { MAX_SCAN_ENTRIES, type FileWatchListener, type FileWatchSource } from './file-watch-source';

/** chokidar attaches its watch a moment after add(): look once more for files made in that gap. */
const SETTLE_RESCAN_MS = 500;

const OPTIONS: ChokidarOptions = {
  ignoreInitial: true,
  awaitWriteFinish: false,
  atomic: false,
  alwaysStat: true,
  ignorePermissionErrors: true,
  persistent: true,
};

export class ChokidarWatchSource implements FileWatchSource {
  private watcher: FSWatcher | null = null;
  /** Roots watched only so deep: chokidar's depth is a watcher's, so each has its own. */
  private readonly limited = new Map<string, FSWatcher>();
  private listener: FileWatchListener | null = null;

  async start(roots: readonly string[], listener: FileWatchListener): Promise<void> {
    this.listener = listener;
    this.watcher = this.watcherOf([...roots]);
    // chokidar says `ready` only once it has paths to scan.
    if (roots.length > 0) await new Promise<void>((resolve) => this.watcher?.once('ready', () => resolve()));
  }

  async addRoot(root: string, maxDepth?: number): Promise<void> {
    if (maxDepth === undefined) this.watcher?.add(root);
    else if (this.watcher && !this.limited.has(root)) this.limited.set(root, this.watcherOf([root], maxDepth));
    await this.reportContents(root, maxDepth);
    setTimeout(() => void this.reportContents(root, maxDepth), SETTLE_RESCAN_MS).unref();
  }

  removeRoot(root: string): void {
    const limited = this.limited.get(root);
    this.limited.delete(root);
    if (limited) void limited.close();
    else this.watcher?.unwatch(root);
  }

  async close(): Promise<void> {
    await Promise.all([...this.limited.values()].map((watcher) => watcher.close()));
    this.limited.clear();
    await this.watcher?.close();
    this.watcher = null;
  }

  private watcherOf(paths: string[], depth?: number): FSWatcher {
    const watcher = watch(paths, depth === undefined ? OPTIONS : { ...OPTIONS, depth });
    const listener = this.listener;
    if (listener) {
      watcher.on('add', (path, stats) => listener.add(path, stats));
      watcher.on('change', (path, stats) => listener.change(path, stats));
      watcher.on('unlink', (path) => listener.unlink(path));
      watcher.on('error', (error) => listener.error(error));
    }
    return watcher;
  }

  /** Everything in a folder that just appeared, as added (the collector skips what it already reported). */
  private async reportContents(root: string, maxDepth = Infinity): Promise<void> {
    let seen = 0;
    const walk = async (dir: string, depth: number): Promise<void> => {
      const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
      for (const entry of entries) {
        if (++seen > MAX_SCAN_ENTRIES || !this.watcher) return;
        const path = join(dir, entry.name);
        if (entry.isDirectory()) {
          if (depth < maxDepth) await walk(path, depth + 1);
        } else if (entry.isFile()) {
          const stats = await stat(path).catch(() => undefined);
          if (stats) this.listener?.add(path, stats);
        }
      }
    };
    await walk(root, 0);
    if (seen > MAX_SCAN_ENTRIES)
      this.listener?.error(new Error(`new folder too large to report in full (limit ${MAX_SCAN_ENTRIES} entries)`));
  }
}
