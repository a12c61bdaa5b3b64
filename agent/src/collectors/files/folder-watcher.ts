// How a folder's changes reach the native watch source (native-watch-source.ts): fs.watch on
// any OS, or on Linux the folder-watch addon (agent/native/folder-watch), which reads inotify
// on a thread of its own and hands the changes over in batches, each changed name once per
// batch. fs.watch wakes the event loop for every inotify event (two or more per rewritten
// file), which cost a fifth of the agent's main thread at 1,000 writes/s.
import { existsSync, watch as fsWatch } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { getSystemErrorName } from 'node:util';

export interface FolderHandlers {
  /** An entry of the folder changed; null: the OS cannot say which (look at every entry). */
  changed(name: string | null): void;
  /** The watch broke (the folder's parent, or the collector's presence check, tells what became of it). */
  failed(error: Error): void;
}

export interface FolderWatcher {
  readonly kind: 'fs.watch' | 'inotify-batches';
  /** Starts watching `dir`; throws as fs.watch does (code ENOENT, ENOSPC, EMFILE, …). Returns how to stop. */
  watch(dir: string, handlers: FolderHandlers): () => void;
  close(): void;
}

/** fs.watch per folder (replaceable in tests). */
export function fsFolderWatcher(watch: typeof fsWatch = fsWatch): FolderWatcher {
  return {
    kind: 'fs.watch',
    watch(dir, handlers) {
      const watcher = watch(dir, { persistent: true }, (_type, name) =>
        handlers.changed(name ? name.toString() : null),
      );
      watcher.on('error', (error) => handlers.failed(error));
      return () => watcher.close();
    },
    close() {},
  };
}

interface FolderWatchAddon {
  open(flushMs: number, onBatch: (wds: Int32Array, flags: Int32Array, names: string) => void): object;
  add(handle: object, dir: string): number;
  remove(handle: object, wd: number): void;
  close(handle: object): void;
}

/** The addon's flags (agent/native/folder-watch/src/folder-watch.c). */
const FLAG_OVERFLOW = 2;

/** agent/native/folder-watch/build/Release, from src/ or dist/collectors/files alike. */
export const FOLDER_WATCH_ADDON = join(
  __dirname,
  '..',
  '..',
  '..',
  'native',
  'folder-watch',
  'build',
  'Release',
  'folder_watch.node',
);

/**
 * The addon's watcher where it is built and loads (Linux), else fs.watch. Changes wait at most
 * `flushMs` on the addon's thread: well inside the source's settle time.
 */
export function defaultFolderWatcher(flushMs = 10, path = FOLDER_WATCH_ADDON): FolderWatcher {
  if (process.platform !== 'linux' || !existsSync(path)) return fsFolderWatcher();
  let addon: FolderWatchAddon;
  try {
    addon = createRequire(__filename)(path) as FolderWatchAddon;
  } catch {
    return fsFolderWatcher();
  }
  return new InotifyFolderWatcher(addon, flushMs);
}

class InotifyFolderWatcher implements FolderWatcher {
  readonly kind = 'inotify-batches';
  private handle: object | null = null;
  /** Watch descriptor → the handlers of the folders it stands for (two paths may name one folder). */
  private readonly folders = new Map<number, Set<FolderHandlers>>();

  constructor(
    private readonly addon: FolderWatchAddon,
    private readonly flushMs: number,
  ) {}

  watch(dir: string, handlers: FolderHandlers): () => void {
    this.handle ??= this.addon.open(this.flushMs, (wds, flags, names) => this.deliver(wds, flags, names));
    let wd: number;
    try {
      wd = this.addon.add(this.handle, dir);
    } catch (error) {
      const errno = (error as { errno?: number }).errno;
      throw Object.assign(error as Error, { code: errno === undefined ? undefined : getSystemErrorName(-errno) });
    }
    const set = this.folders.get(wd) ?? new Set();
    set.add(handlers);
    this.folders.set(wd, set);
    return () => {
      set.delete(handlers);
      if (set.size > 0 || this.folders.get(wd) !== set) return;
      this.folders.delete(wd);
      if (this.handle) this.addon.remove(this.handle, wd);
    };
  }

  close(): void {
    if (this.handle) this.addon.close(this.handle);
    this.handle = null;
    this.folders.clear();
  }

  private deliver(wds: Int32Array, flags: Int32Array, names: string): void {
    const list = names.split('\0');
    for (let i = 0; i < wds.length; i++) {
      if (flags[i] & FLAG_OVERFLOW) {
        for (const set of this.folders.values()) for (const handlers of set) handlers.changed(null);
        continue;
      }
      // An event of the folder itself (its attributes, its removal) names nothing: its parent's watch
      // reports the folder, as with fs.watch.
      if (!list[i]) continue;
      const set = this.folders.get(wds[i]);
      if (set) for (const handlers of set) handlers.changed(list[i]);
    }
  }
}
