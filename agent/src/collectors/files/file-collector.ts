// File activity in the configured folders, from chokidar: create, write, delete
// and rename (paired from unlink + add), with size, extension, depth, folder
// class, owner and the entropy of the new content.
//
// chokidar does not follow a path that does not exist yet, nor one that is
// removed and made again, so the configured folders are checked every
// `presenceCheckMs`: a folder that appears is watched and what it already holds
// is reported as created (it is all new); one that vanishes is let go.
import { randomUUID } from 'node:crypto';
import type { Stats } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import { Severity, type Event, type FileActivity } from '@wardwatch/proto';
import type { Logger } from '../../logging/logger';
import type { Collector, EventSink } from '../collector';
import { readSample, shannonEntropy } from './entropy';
import { RenamePairer } from './rename-pairer';
import { UserNames } from './user-names';
import { WatchedFolders, type WatchedFolder } from './watched-folders';

export interface FileCollectorOptions {
  folders: readonly WatchedFolder[];
  logger: Logger;
  renameWindowMs?: number;
  presenceCheckMs?: number;
  userNames?: UserNames;
  now?: () => number;
}

type Action = 'create' | 'write' | 'delete' | 'rename';

/** Sizes remembered for write sampling and rename pairing; the oldest are forgotten beyond this. */
const MAX_REMEMBERED_SIZES = 100_000;
const SETTLE_RESCAN_MS = 500;
/** A folder that appears with more than this many entries is reported only in part (and says so). */
const MAX_SCAN_ENTRIES = 10_000;

export class FileCollector implements Collector {
  readonly name = 'files';
  private watcher: FSWatcher | null = null;
  private sink: EventSink | null = null;
  private presenceTimer: NodeJS.Timeout | null = null;
  private readonly present = new Map<string, boolean>();
  /** Last size seen per file: "new content" of a write starts there, and deletes pair by size. */
  private readonly sizes = new Map<string, number>();
  private readonly classify: WatchedFolders;
  private readonly pairer: RenamePairer;
  private readonly userNames: UserNames;
  private readonly now: () => number;
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly options: FileCollectorOptions) {
    this.classify = new WatchedFolders(options.folders);
    this.userNames = options.userNames ?? new UserNames();
    this.now = options.now ?? Date.now;
    this.pairer = new RenamePairer({
      windowMs: options.renameWindowMs ?? 300,
      onDelete: (pending) => this.serially(() => this.report('delete', pending.path, '', undefined, pending.size ?? 0)),
    });
  }

  async start(sink: EventSink): Promise<void> {
    this.sink = sink;
    const initial: string[] = [];
    for (const folder of this.options.folders) {
      const present = await isDirectory(folder.path);
      this.present.set(folder.path, present);
      if (present) initial.push(folder.path);
      else this.options.logger.warn('watched folder missing, waiting for it', { collector: this.name, folderClass: folder.class });
    }
    const watcher = watch(initial, { ignoreInitial: true, awaitWriteFinish: false, atomic: false, alwaysStat: true, ignorePermissionErrors: true, persistent: true });
    this.watcher = watcher;
    watcher.on('add', (path, stats) => this.serially(() => this.onAdd(path, stats)));
    watcher.on('change', (path, stats) => this.serially(() => this.onChange(path, stats)));
    watcher.on('unlink', (path) => this.serially(() => this.onUnlink(path)));
    watcher.on('error', (error) => this.options.logger.warn('file watcher error', { collector: this.name, error }));
    // chokidar says `ready` only once it has paths to scan.
    if (initial.length > 0) await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
    this.presenceTimer = setInterval(() => void this.checkPresence(), this.options.presenceCheckMs ?? 1_000);
  }

  async stop(): Promise<void> {
    if (this.presenceTimer) clearInterval(this.presenceTimer);
    this.presenceTimer = null;
    this.pairer.flush();
    await this.watcher?.close();
    this.watcher = null;
    await this.queue;
  }

  private serially(work: () => Promise<void>): void {
    this.queue = this.queue.then(work).catch((error: unknown) => this.options.logger.warn('file event not reported', { collector: this.name, error }));
  }

  private async checkPresence(): Promise<void> {
    for (const folder of this.options.folders) {
      const isDir = await isDirectory(folder.path);
      const was = this.present.get(folder.path);
      if (isDir === was) continue;
      this.present.set(folder.path, isDir);
      if (isDir) {
        this.watcher?.add(folder.path);
        this.options.logger.info('watched folder appeared', { collector: this.name, folderClass: folder.class });
        await this.reportContents(folder.path);
        // chokidar attaches its watch a moment after add(): look once more for
        // files made in that gap (those already reported are skipped).
        setTimeout(() => void this.reportContents(folder.path), SETTLE_RESCAN_MS).unref();
      } else {
        this.watcher?.unwatch(folder.path);
        // Said once per change, without the path (it may name a ward or a person).
        this.options.logger.warn('watched folder vanished, waiting for it to return', { collector: this.name, folderClass: folder.class });
      }
    }
  }

  /** A folder that just appeared: everything in it is new. Paths already reported by chokidar are skipped. */
  private async reportContents(root: string): Promise<void> {
    if (!this.watcher) return;
    let seen = 0;
    const walk = async (dir: string): Promise<void> => {
      const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
      for (const entry of entries) {
        if (++seen > MAX_SCAN_ENTRIES) return;
        const path = join(dir, entry.name);
        if (entry.isDirectory()) await walk(path);
        else if (entry.isFile()) this.serially(async () => {
          if (this.sizes.has(path)) return;
          const stats = await stat(path).catch(() => undefined);
          if (stats) await this.onAdd(path, stats);
        });
      }
    };
    await walk(root);
    if (seen > MAX_SCAN_ENTRIES) this.options.logger.warn('new folder too large to report in full', { collector: this.name, limit: MAX_SCAN_ENTRIES });
  }

  private async onAdd(path: string, stats?: Stats): Promise<void> {
    if (this.sizes.has(path)) return; // already reported by the scan of a folder that appeared
    const size = stats?.size ?? 0;
    this.remember(path, size);
    const previous = this.pairer.added(path, size);
    if (previous) return this.report('rename', path, previous, stats, size);
    await this.report('create', path, '', stats, size, 0);
  }

  private async onChange(path: string, stats?: Stats): Promise<void> {
    const before = this.sizes.get(path);
    const size = stats?.size ?? 0;
    this.remember(path, size);
    // Appended content is what is new; a rewrite in place starts at the beginning.
    const offset = before !== undefined && size > before ? before : 0;
    await this.report('write', path, '', stats, size, offset);
  }

  private remember(path: string, size: number): void {
    this.sizes.delete(path); // re-insert: Map order is then least recently seen first
    this.sizes.set(path, size);
    if (this.sizes.size > MAX_REMEMBERED_SIZES) this.sizes.delete(this.sizes.keys().next().value!);
  }

  private async onUnlink(path: string): Promise<void> {
    const size = this.sizes.get(path);
    this.sizes.delete(path);
    this.pairer.deleted(path, size ?? null, this.now());
  }

  private async report(action: Action, path: string, previousPath: string, stats: Stats | undefined, size: number, sampleFrom?: number): Promise<void> {
    const facts = this.classify.facts(path);
    if (!facts || !this.sink) return;
    let entropy = -1;
    if (sampleFrom !== undefined) {
      const sample = await readSample(path, sampleFrom);
      if (sample && sample.length > 0) entropy = Math.round(shannonEntropy(sample) * 1_000) / 1_000;
    }
    const owner = stats ? await this.userNames.nameOf(stats.uid) : '';
    const file: FileActivity = {
      action,
      path,
      previousPath,
      folderClass: facts.folderClass,
      extension: facts.extension,
      depth: facts.depth,
      sizeBytes: size,
      entropy,
      owner,
      process: '', // the OS does not say which process; a later collector may
    };
    const event: Event = {
      id: randomUUID(),
      timeMs: this.now(),
      severity: facts.folderClass === 'phi' ? Severity.SEVERITY_LOW : Severity.SEVERITY_INFO,
      user: owner,
      detail: { $case: 'file', value: file },
    };
    this.sink.emit(event);
  }
}

function isDirectory(path: string): Promise<boolean> {
  return stat(path).then((s) => s.isDirectory(), () => false);
}
