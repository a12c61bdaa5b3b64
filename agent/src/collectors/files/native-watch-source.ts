// The default engine: one fs.watch (inotify on Linux, FSEvents on macOS,
// ReadDirectoryChangesW on Windows) per folder, and a look at a file only once
// it has been quiet for `settleMs`.
//
// Why not chokidar: it re-reads a folder's listing on every change in it (a full
// core at 1,000 changes/s in folders of 100 files). Why not fs.watch with
// `recursive: true`: on Linux, Node 20 emulates it with one watch per *file*,
// which collapsed in a flat folder of 10,000 files. Here a change costs one
// stat of the file that changed, and a burst of writes to one file is one look.
//
// State: the files known to exist (known-files.ts, compact per folder) decide
// whether a file that is there is added or changed, and whether one that is gone
// was unlinked; the files found at the start have no stats until they are touched,
// but their sizes where `sizesUnder` asks (a renamed copy's source is found by size).
// Paths are looked at in the order they were first touched, so the two halves of
// a rename reach the collector in order.
import { lstatSync, readFileSync, type Dirent, type Stats } from 'node:fs';
import { lstat, opendir, readdir } from 'node:fs/promises';
import { basename, dirname, join, sep } from 'node:path';
import { MAX_SCAN_ENTRIES, OutOfWatchesError, type FileWatchListener, type FileWatchSource } from './file-watch-source';
import { defaultFolderWatcher, type FolderWatcher } from './folder-watcher';
import { KnownFiles } from './known-files';

export interface NativeWatchOptions {
  /** Quiet time before a touched path is looked at. */
  settleMs: number;
  /** A path that never goes quiet (a file appended continuously) is looked at after this anyway. */
  maxWaitMs?: number;
  /** Paths that may be stat'ed synchronously (local disks, see local-disk.ts); default none. */
  isLocal?: (path: string) => boolean;
  /** How folders are watched (default: the batching addon on Linux where built, else fs.watch). */
  folders?: FolderWatcher;
  /** Folders whose files' sizes the scan at start takes (one stat a file) and filesOfSize looks in; default none. */
  sizesUnder?: (dir: string) => boolean;
  /**
   * At most this many folders watched under the roots added at run time (profiles' folders,
   * scratch folders, removable volumes): staff can make folders there by the thousand, and each
   * is an OS watch the configured folders would then lack. Default: addedFolderBound().
   */
  maxAddedFolders?: number;
  /** While folders are refused a watch, they are tried again this often (an admin may raise the OS limit); default a minute. */
  retryMs?: number;
  /** Refused folders remembered to be tried again; default MAX_REFUSED_FOLDERS. */
  maxRefused?: number;
  now?: () => number;
}

/**
 * Folders refused a watch that are remembered to be tried again: past this many (hostile input can
 * make folders by the million), the rest are seen again only after a restart, and the shortage is
 * never said to be over.
 */
export const MAX_REFUSED_FOLDERS = 10_000;

interface Touch {
  first: number;
  last: number;
}

export class NativeWatchSource implements FileWatchSource {
  private listener: FileWatchListener | null = null;
  private readonly folders: FolderWatcher;
  /** Watched folder → how to stop watching it. */
  private readonly watchers = new Map<string, () => void>();
  private readonly known = new KnownFiles();
  private readonly dirty = new Map<string, Touch>();
  private sweepTimer: NodeJS.Timeout | null = null;
  private sweeping: Promise<void> | null = null;
  private closed = false;
  private outOfWatchesSaid = false;
  /** Watches the OS refused (ENOSPC, EMFILE), ever. */
  private osRefusals = 0;
  /** Roots watched only so many folder levels down (a profile's Documents: deep trees would spend the OS's watches). */
  private readonly depthLimits = new Map<string, number>();
  /** Every root: one let go keeps the roots inside it (a profile's top, its Desktop, a site's folder in it). */
  private readonly roots = new Set<string>();
  /** The roots given at the start (configured): their folders are not counted against maxAddedFolders. */
  private readonly startRoots = new Set<string>();
  /** Folders watched under roots added at run time. */
  private readonly addedWatched = new Set<string>();
  private addedBoundSaid = false;
  /** Folders refused a watch (the bound, or the OS out of watches), in order: tried again when watches free up. */
  private readonly refused = new Set<string>();
  /** More folders were refused than `refused` holds: only a restart watches them all. */
  private refusedLost = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private retrying: Promise<void> | null = null;
  private readonly now: () => number;
  private readonly maxAddedFolders: number;

  constructor(private readonly options: NativeWatchOptions) {
    this.now = options.now ?? Date.now;
    this.maxAddedFolders = options.maxAddedFolders ?? addedFolderBound();
    this.folders = options.folders ?? defaultFolderWatcher();
  }

  async start(roots: readonly string[], listener: FileWatchListener): Promise<void> {
    this.listener = listener;
    for (const root of roots) {
      this.roots.add(root);
      this.startRoots.add(root);
    }
    for (const root of roots) await this.watchTree(root, false);
  }

  async addRoot(root: string, maxDepth?: number): Promise<void> {
    if (maxDepth !== undefined) this.depthLimits.set(root, maxDepth);
    this.roots.add(root);
    await this.watchTree(root, true);
  }

  removeRoot(root: string): void {
    this.depthLimits.delete(root);
    this.roots.delete(root);
    const inside = [...this.roots].filter((other) => isBelow(other, root));
    this.forgetTree(root, false, (folder) => inside.some((other) => folder === other || isBelow(folder, other)));
  }

  filesNamed(name: string, except?: string): string[] {
    return this.known.foldersWith(name, except).map((dir) => join(dir, name));
  }

  filesOfSize(size: number, limit: number, except?: string): string[] {
    const sizesUnder = this.options.sizesUnder;
    if (!sizesUnder) return [];
    return this.known
      .filesOfSize(size, (dir) => dir !== except && sizesUnder(dir), limit)
      .map(([dir, name]) => join(dir, name));
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    if (this.retryTimer) clearInterval(this.retryTimer);
    this.sweepTimer = this.retryTimer = null;
    await this.retrying;
    for (const unwatch of this.watchers.values()) unwatch();
    this.watchers.clear();
    this.folders.close();
    await this.sweeping;
  }

  /** Watches `root` and every folder below it; with `reportFiles`, what is in them is reported as added. */
  private async watchTree(root: string, reportFiles: boolean): Promise<void> {
    let seen = 0;
    const walk = async (dir: string): Promise<void> => {
      if (this.closed || this.watchers.has(dir)) return;
      const root = this.rootOf(dir);
      if (this.tooDeep(dir, root)) return;
      const added = this.isAdded(root);
      if (added && !this.mayWatchAdded()) return this.refuse(dir);
      // Watch before listing: a file made in between is then seen twice at worst, never missed.
      if (!this.watchDir(dir)) return;
      if (added) this.addedWatched.add(dir);
      const entries = await this.entriesOf(dir, added);
      const files = entries.filter((entry) => entry.isFile() && this.known.get(dir, entry.name) === undefined);
      if (!reportFiles) {
        const sizes = this.options.sizesUnder?.(dir)
          ? await this.sizesOf(
              dir,
              files.map((file) => file.name),
            )
          : [];
        files.forEach((file, i) => this.known.scanned(dir, file.name, sizes[i]));
      } else for (const file of files) if (++seen <= MAX_SCAN_ENTRIES) await this.lookAt(join(dir, file.name));
      this.known.sealScan(dir);
      for (const entry of entries) if (entry.isDirectory()) await walk(join(dir, entry.name));
    };
    await walk(root);
    if (seen > MAX_SCAN_ENTRIES)
      this.listener?.error(new Error(`new folder too large to report in full (limit ${MAX_SCAN_ENTRIES} entries)`));
  }

  /** The nearest root holding `dir` (or being it). */
  private rootOf(dir: string): string | undefined {
    for (let above = dir; ; above = dirname(above)) {
      if (this.roots.has(above)) return above;
      if (dirname(above) === above) return undefined;
    }
  }

  /** Whether `dir` lies deeper below its nearest root than that root allows: a site's folder inside a depth-limited root has no limit. */
  private tooDeep(dir: string, root: string | undefined): boolean {
    const limit = root === undefined ? undefined : this.depthLimits.get(root);
    if (root === undefined || limit === undefined) return false;
    return dir.slice(root.length).split(sep).filter(Boolean).length > limit;
  }

  /** A folder's entries, none when unreadable; of one found at run time, only the first MAX_SCAN_ENTRIES. */
  private entriesOf(dir: string, added: boolean): Promise<Dirent[]> {
    return (added ? firstEntries(dir, MAX_SCAN_ENTRIES) : readdir(dir, { withFileTypes: true })).catch(() => []);
  }

  /** Whether a folder under `root` was found at run time (not configured): staff can fill those. */
  private isAdded(root: string | undefined): boolean {
    return root !== undefined && !this.startRoots.has(root);
  }

  /** Room for one more folder under the roots added at run time; said once when there is none. */
  private mayWatchAdded(): boolean {
    if (this.addedWatched.size < this.maxAddedFolders) return true;
    if (!this.addedBoundSaid)
      this.listener?.error(
        new OutOfWatchesError(
          `folders found at run time (profiles' folders, scratch folders, removable volumes) hold ${this.maxAddedFolders} watches, their bound: their further subfolders are not watched`,
        ),
      );
    this.addedBoundSaid = true;
    return false;
  }

  /** Sizes of the files in `dir` (NaN where gone): synchronous on local disks, in parallel on a share. */
  private async sizesOf(dir: string, names: string[]): Promise<number[]> {
    const sizeOrNaN = (stats: Stats | null) => stats?.size ?? NaN;
    if (this.options.isLocal?.(dir)) return names.map((name) => sizeOrNaN(lstatOrNull(join(dir, name))));
    return Promise.all(names.map((name) => lstat(join(dir, name)).then(sizeOrNaN, () => NaN)));
  }

  private watchDir(dir: string): boolean {
    try {
      // join(dir, name) for a plain entry name, without normalising dir again per change.
      const prefix = join(dir, '_').slice(0, -1);
      const pathOf = (name: string) =>
        name.includes('/') || name.includes(sep) || name === '.' || name === '..' ? join(dir, name) : prefix + name;
      const unwatch = this.folders.watch(dir, {
        changed: (name) => (name ? this.touched(pathOf(name)) : void this.rescan(dir)),
        failed: (error) => {
          // The folder itself went away (or its watch broke): its parent's watch or the
          // collector's presence check reports what that means.
          this.closeWatcher(dir);
          if ((error as NodeJS.ErrnoException).code !== 'EPERM') this.listener?.error(error);
        },
      });
      this.watchers.set(dir, unwatch);
      return true;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return false; // gone already
      if (code === 'ENOSPC' || code === 'EMFILE') {
        // Out of inotify watches or descriptors: said once, not once per folder.
        if (!this.outOfWatchesSaid)
          this.listener?.error(
            new OutOfWatchesError(
              `cannot watch more folders (${code}: raise fs.inotify.max_user_watches / the open-file limit); folders beyond this are not watched`,
            ),
          );
        this.outOfWatchesSaid = true;
        this.osRefusals += 1;
        this.refuse(dir);
        return false;
      }
      this.listener?.error(error);
      return false;
    }
  }

  private closeWatcher(dir: string): void {
    this.watchers.get(dir)?.();
    this.watchers.delete(dir);
    this.addedWatched.delete(dir);
    // A watch freed: a folder refused one may have it now.
    if (this.refused.size > 0 && !this.retrying) queueMicrotask(() => void this.retryRefused());
  }

  /** Remembers a folder refused a watch (its subfolders were not walked either), to try it again. */
  private refuse(dir: string): void {
    if (this.refused.size < (this.options.maxRefused ?? MAX_REFUSED_FOLDERS)) this.refused.add(dir);
    else if (!this.refused.has(dir)) this.refusedLost = true;
    this.retryTimer ??= setInterval(() => void this.retryRefused(), this.options.retryMs ?? 60_000);
    this.retryTimer.unref?.();
  }

  /**
   * Tries the refused folders again, in the order refused (under a root since let go or gone:
   * forgotten); stops at the first the OS refuses again. When none is left, the listener hears that
   * every folder is watched again and a later shortage is said again.
   */
  private retryRefused(): Promise<void> {
    this.retrying ??= (async () => {
      for (const dir of [...this.refused]) {
        if (this.closed) return;
        const root = this.rootOf(dir);
        const added = this.isAdded(root);
        // The bound still full: the folder waits, at no cost (thousands may wait behind it).
        if (root !== undefined && added && this.addedWatched.size >= this.maxAddedFolders) continue;
        this.refused.delete(dir);
        if (root === undefined || this.watchers.has(dir) || !(await isFolder(dir))) continue;
        const refusals = this.osRefusals;
        await this.watchTree(dir, added);
        if (this.osRefusals > refusals) break; // the OS has no watch left for anyone
      }
      if (this.refused.size > 0 || this.refusedLost || this.closed) return;
      if (this.retryTimer) clearInterval(this.retryTimer);
      this.retryTimer = null;
      if (this.outOfWatchesSaid || this.addedBoundSaid) this.listener?.recovered?.();
      this.outOfWatchesSaid = this.addedBoundSaid = false;
    })().finally(() => (this.retrying = null));
    return this.retrying;
  }

  private touched(path: string): void {
    if (this.closed) return;
    const now = this.now();
    const touch = this.dirty.get(path);
    if (touch) touch.last = now;
    else this.dirty.set(path, { first: now, last: now });
    if (!this.sweepTimer) {
      this.sweepTimer = setInterval(() => this.sweep(), Math.max(5, Math.floor(this.options.settleMs / 2)));
    }
  }

  /** The OS could not say which entry changed (e.g. its queue overflowed): look at every entry, and at every known file that is gone. */
  private async rescan(dir: string): Promise<void> {
    const entries = await this.entriesOf(dir, this.isAdded(this.rootOf(dir)));
    const present = new Set(entries.map((entry) => join(dir, entry.name)));
    for (const path of present) this.touched(path);
    for (const name of this.known.names(dir)) if (!present.has(join(dir, name))) this.touched(join(dir, name));
  }

  /** Looks at the paths that have settled, in the order they were first touched. */
  private sweep(): void {
    if (this.sweeping) return;
    const now = this.now();
    const maxWait = this.options.maxWaitMs ?? 1_000;
    const due: string[] = [];
    for (const [path, touch] of this.dirty) {
      if (now - touch.last >= this.options.settleMs || now - touch.first >= maxWait) due.push(path);
    }
    for (const path of due) this.dirty.delete(path);
    if (this.dirty.size === 0 && this.sweepTimer) {
      clearInterval(this.sweepTimer);
      this.sweepTimer = null;
    }
    if (due.length === 0) return;
    this.sweeping = this.lookAtAll(due).finally(() => (this.sweeping = null));
  }

  private async lookAtAll(paths: string[]): Promise<void> {
    const isLocal = this.options.isLocal ?? (() => false);
    if (paths.every(isLocal)) {
      // Local disk: stat and decide each in turn, with no promise per file (a file's
      // decision is synchronous; only a new folder's watch is awaited).
      for (const path of paths) {
        const deciding = this.decide(path, lstatOrNull(path));
        if (deciding) await deciding;
      }
      return;
    }
    // Stat in parallel, then decide in order (rename halves stay in order).
    const stats = await Promise.all(
      paths.map((path) => (isLocal(path) ? Promise.resolve(lstatOrNull(path)) : lstat(path).catch(() => null))),
    );
    for (let i = 0; i < paths.length; i++) await this.decide(paths[i], stats[i]);
  }

  private async lookAt(path: string): Promise<void> {
    await this.decide(path, await lstat(path).catch(() => null));
  }

  /** Reports what became of `path`; a promise only while a new folder is being watched. */
  private decide(path: string, stats: Stats | null): Promise<void> | undefined {
    if (this.closed || !this.listener) return;
    if (!stats) {
      if (this.watchers.has(path)) this.forgetTree(path, true);
      else if (this.known.delete(dirname(path), basename(path))) this.listener.unlink(path);
      return;
    }
    if (stats.isDirectory()) {
      if (!this.watchers.has(path)) return this.watchTree(path, true);
      return;
    }
    if (!stats.isFile()) return; // symbolic links, sockets, devices: not followed
    const [dir, name] = [dirname(path), basename(path)];
    const before = this.known.get(dir, name);
    this.known.set(dir, name, { size: stats.size, mtimeMs: stats.mtimeMs });
    if (before === undefined) this.listener.add(path, stats);
    else if (before === null || before.size !== stats.size || before.mtimeMs !== stats.mtimeMs)
      this.listener.change(path, stats);
  }

  /**
   * A folder went away: stop watching it and everything below but what `keep` keeps; its known
   * files are unlinked when `report`.
   */
  private forgetTree(dir: string, report: boolean, keep: (folder: string) => boolean = () => false): void {
    const forget = (folder: string) => (folder === dir || isBelow(folder, dir)) && !keep(folder);
    for (const watched of [...this.watchers.keys()]) if (forget(watched)) this.closeWatcher(watched);
    const gone = this.known.deleteFolders(forget);
    if (report) for (const [folder, names] of gone) for (const name of names) this.listener?.unlink(join(folder, name));
  }
}

/**
 * Folders the roots found at run time may take: half of what the OS allows one user
 * (`fs.inotify.max_user_watches`), the other half kept for the configured folders; 10,000
 * where the limit cannot be read.
 */
export function addedFolderBound(
  readLimit = () => readFileSync('/proc/sys/fs/inotify/max_user_watches', 'utf8'),
): number {
  try {
    const limit = Number.parseInt(readLimit(), 10);
    return Number.isSafeInteger(limit) && limit > 0 ? Math.max(1, Math.floor(limit / 2)) : 10_000;
  } catch {
    return 10_000;
  }
}

/**
 * The first `limit` entries of a folder, read a few hundred at a time: a folder staff filled with
 * millions of files costs the agent no more than `limit` (a full listing would hold them all at once).
 */
export async function firstEntries(dir: string, limit: number): Promise<Dirent[]> {
  const entries: Dirent[] = [];
  if (limit <= 0) return entries;
  for await (const entry of await opendir(dir, { bufferSize: 256 })) {
    entries.push(entry);
    if (entries.length >= limit) break; // closes the folder
  }
  return entries;
}

async function isFolder(path: string): Promise<boolean> {
  return (await lstat(path).catch(() => null))?.isDirectory() === true;
}

function isBelow(path: string, dir: string): boolean {
  return path.startsWith(dir.endsWith(sep) ? dir : dir + sep);
}

function lstatOrNull(path: string): Stats | null {
  // throwIfNoEntry: false still throws for other errors (EACCES, ENOTDIR): those read as gone.
  try {
    return lstatSync(path, { throwIfNoEntry: false }) ?? null;
  } catch {
    return null;
  }
}
