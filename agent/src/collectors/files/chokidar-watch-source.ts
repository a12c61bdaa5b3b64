// The earlier engine: chokidar 4 with stats on every event. chokidar re-reads a
// folder's listing on each change in it, which costs a full core at ~1,000
// changes/s in folders of 100 files here (scripts/bench/file-watch.bench.ts).
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import { MAX_SCAN_ENTRIES, type FileWatchListener, type FileWatchSource } from './file-watch-source';

/** chokidar attaches its watch a moment after add(): look once more for files made in that gap. */
const SETTLE_RESCAN_MS = 500;

export class ChokidarWatchSource implements FileWatchSource {
  private watcher: FSWatcher | null = null;
  private listener: FileWatchListener | null = null;

  async start(roots: readonly string[], listener: FileWatchListener): Promise<void> {
    this.listener = listener;
    const watcher = watch([...roots], {
      ignoreInitial: true,
      awaitWriteFinish: false,
      atomic: false,
      alwaysStat: true,
      ignorePermissionErrors: true,
      persistent: true,
    });
    this.watcher = watcher;
    watcher.on('add', (path, stats) => listener.add(path, stats));
    watcher.on('change', (path, stats) => listener.change(path, stats));
    watcher.on('unlink', (path) => listener.unlink(path));
    watcher.on('error', (error) => listener.error(error));
    // chokidar says `ready` only once it has paths to scan.
    if (roots.length > 0) await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  }

  async addRoot(root: string): Promise<void> {
    this.watcher?.add(root);
    await this.reportContents(root);
    setTimeout(() => void this.reportContents(root), SETTLE_RESCAN_MS).unref();
  }

  removeRoot(root: string): void {
    this.watcher?.unwatch(root);
  }

  async close(): Promise<void> {
    await this.watcher?.close();
    this.watcher = null;
  }

  /** Everything in a folder that just appeared, as added (the collector skips what it already reported). */
  private async reportContents(root: string): Promise<void> {
    let seen = 0;
    const walk = async (dir: string): Promise<void> => {
      const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
      for (const entry of entries) {
        if (++seen > MAX_SCAN_ENTRIES || !this.watcher) return;
        const path = join(dir, entry.name);
        if (entry.isDirectory()) await walk(path);
        else if (entry.isFile()) {
          const stats = await stat(path).catch(() => undefined);
          if (stats) this.listener?.add(path, stats);
        }
      }
    };
    await walk(root);
    if (seen > MAX_SCAN_ENTRIES)
      this.listener?.error(new Error(`new folder too large to report in full (limit ${MAX_SCAN_ENTRIES} entries)`));
  }
}
