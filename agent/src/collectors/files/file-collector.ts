// File activity in the configured folders: create, write, delete, rename
// (paired from unlink + add) and copy (a new file outside the patient-data
// folders that matches a patient-data file, when it appears or once it has
// grown into it: copy-lineage.ts; or an archive holding patient files, one
// copy per file: archive-lineage.ts), with size,
// extension, depth, folder class, owner and the entropy of the new content.
// The raw notifications come from a FileWatchSource: `native` (per-folder
// fs.watch, default) or `chokidar` (which keeps no file names: no copies).
//
// Folders that appear later, vanish and return, or are found at run time, are
// followed by folder-presence.ts. What a configured folder holds when it appears
// is reported as created (it is all new); in a copies-only folder found at run
// time (a profile's synced folder) only patient data arriving is reported.
import { randomUUID } from 'node:crypto';
import type { Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Severity, type Event, type FileActivity } from '@wardwatch/proto';
import type { Logger } from '../../logging/logger';
import type { HealthReporter } from '../../status/component-health';
import type { Collector, EventSink } from '../collector';
import type { FileActorLookup } from './file-actors';
import { copiedFrom, copiedFromAsync, MAX_COPY_CANDIDATES, MIN_RENAMED_COPY_BYTES } from './copy-lineage';
import { archivedFrom, MIN_ARCHIVE_BYTES, startsLikeArchive } from './archive-lineage';
import { readSample, roundedEntropy, sampleEntropySync } from './entropy';
import { OutOfWatchesError, type FileWatchSource } from './file-watch-source';
import type { FolderWatcher } from './folder-watcher';
import type { GateSamples } from './gate-samples';
import { FileSystemKinds } from './local-disk';
import { NativeWatchSource } from './native-watch-source';
import { RenamePairer } from './rename-pairer';
import { ArchiveLooks } from './archive-looks';
import { FolderPresence } from './folder-presence';
import type { WatchedFolder } from './watched-folder';
import { PasswdUserNames, type UserNames } from '../user-names';
import type { PathShape } from '@wardwatch/shared/pseudonyms';
import { PathClassifier } from '../../paths/path-classifier';
import { RecentMap } from '@wardwatch/shared/agent';

export interface FileCollectorOptions {
  folders: readonly WatchedFolder[];
  logger: Logger;
  renameWindowMs?: number;
  presenceCheckMs?: number;
  /** Default `native`; `chokidar` is the earlier engine (the benchmark's baseline). */
  engine?: 'native' | 'chokidar';
  /** native engine: quiet time before a touched file is looked at. */
  settleMs?: number;
  /** Whether a folder is on a network file system (then every file call stays asynchronous); replaceable in tests. */
  isNetworkFileSystem?: (path: string) => boolean;
  userNames?: UserNames;
  /** Names the process behind a change where the OS can tell (Linux audit); otherwise `process` stays empty. */
  actors?: FileActorLookup;
  /** Samples the ransomware gate took of files it saw written (gate-samples.ts): used instead of opening them again. */
  samples?: GateSamples;
  /** Folders found at run time (profiles' synced and save folders, profile-folders.ts), looked for every `discoverMs`. */
  discoverFolders?: () => Promise<WatchedFolder[]>;
  discoverMs?: number;
  /** Quiet time after its last write before a new archive is looked inside; default DEFAULT_ARCHIVE_QUIET_MS. */
  archiveQuietMs?: number;
  /** Where running out of OS watches is said (WATCHES_COMPONENT), for the tray and the manager. */
  health?: HealthReporter;
  /** native engine: how a folder is watched (default: the batching addon on Linux where built, else fs.watch). */
  folderWatcher?: FolderWatcher;
  now?: () => number;
}

type Action = 'create' | 'write' | 'delete' | 'rename' | 'copy';

/** Sizes remembered for write sampling and rename pairing (the most recent half always). */
const MAX_REMEMBERED_SIZES = 100_000;
/** The health component that says the OS ran out of watches (the collector's own stays running). */
export const WATCHES_COMPONENT = 'collector.files.watches';
/**
 * How long a new file outside the patient-data folders may still grow into a copy: a file copied
 * more slowly than the watcher settles (a large scan to a slow stick) is first seen in part, with
 * another size than its source; its writes are checked again until it matches (then reported as the
 * copy) or this time has passed. A 500 MB study at 20 MB/s (USB 2.0) takes 25 s.
 */
export const GROWING_COPY_MS = 60_000;
const MAX_GROWING = 10_000;
export const DEFAULT_SETTLE_MS = 50;
/** Quiet time before a new archive is looked inside (archive-looks.ts). */
export const DEFAULT_ARCHIVE_QUIET_MS = 1_000;

export class FileCollector implements Collector {
  readonly name = 'files';
  private source: FileWatchSource | null = null;
  private sink: EventSink | null = null;
  private readonly presence: FolderPresence;
  /** Last size seen per file: "new content" of a write starts there, and deletes pair by size. */
  private readonly sizes = new RecentMap<string, number>(MAX_REMEMBERED_SIZES);
  /** New files outside the patient-data folders that may still grow into a copy: when each appeared. */
  private readonly growing = new RecentMap<string, number>(MAX_GROWING);
  private readonly archives: ArchiveLooks;
  private classify: PathClassifier;
  /** Folders given by watchFolder (removable volumes while mounted), beside the configured ones. */
  private readonly extraFolders = new Map<string, WatchedFolder>();
  /** Roots being scanned by watchFolder: what they already hold is known, not new. */
  private readonly quietRoots = new Set<string>();
  private readonly pairer: RenamePairer;
  private readonly userNames: UserNames;
  private readonly fsKinds: FileSystemKinds;
  private readonly now: () => number;
  private queue: Promise<void> = Promise.resolve();
  /** Work items still running asynchronously; while none are, work runs at once (no promise per event). */
  private pending = 0;

  constructor(private readonly options: FileCollectorOptions) {
    this.classify = new PathClassifier(options.folders);
    this.userNames = options.userNames ?? new PasswdUserNames();
    this.fsKinds = new FileSystemKinds(options.isNetworkFileSystem);
    this.now = options.now ?? Date.now;
    this.pairer = new RenamePairer({
      windowMs: options.renameWindowMs ?? 300,
      onDelete: (pending) => this.serially(() => this.report('delete', pending.path, '', undefined, pending.size ?? 0)),
    });
    this.archives = new ArchiveLooks(options.archiveQuietMs ?? DEFAULT_ARCHIVE_QUIET_MS, (path) =>
      this.serially(() => this.reportArchived(path)),
    );
    this.presence = new FolderPresence({
      folders: options.folders,
      logger: options.logger,
      checkMs: options.presenceCheckMs ?? 1_000,
      appeared: (folder) => {
        this.fsKinds.learn(folder.path);
        return this.source?.addRoot(folder.path, folder.maxDepth) ?? Promise.resolve();
      },
      vanished: (folder) => this.source?.removeRoot(folder.path),
      discover: options.discoverFolders,
      discoverMs: options.discoverMs ?? 60_000,
      found: (folder) => this.watchFolder(folder),
      lost: (path) => this.unwatchFolder(path),
    });
    if (options.samples) options.samples.offsetFor = (path, size) => sampleOffset(this.sizes.get(path), size);
  }

  async start(sink: EventSink): Promise<void> {
    this.sink = sink;
    this.options.actors?.start();
    const initial = (await this.presence.presentNow()).map((folder) => folder.path);
    for (const path of initial) this.fsKinds.learn(path);
    const source: FileWatchSource =
      this.options.engine === 'chokidar'
        ? // Loaded only when chosen: chokidar and its helpers are ~1 MB of the heap an agent on the native engine never uses.
          new (await import('./chokidar-watch-source.js')).ChokidarWatchSource()
        : new NativeWatchSource({
            settleMs: this.options.settleMs ?? DEFAULT_SETTLE_MS,
            folders: this.options.folderWatcher,
            isLocal: (path) => this.fsKinds.isLocal(path),
            // A file in the folder: the classifier names the class of paths below a root.
            sizesUnder: (dir) => this.isPatientData(join(dir, '_')),
          });
    this.source = source;
    await source.start(initial, {
      add: (path, stats) => {
        const quiet = this.underQuietRoot(path);
        this.serially(() => (quiet ? this.rememberExisting(path, stats) : this.onAdd(path, stats)));
      },
      change: (path, stats) => this.serially(() => this.onChange(path, stats)),
      unlink: (path) => this.serially(() => this.onUnlink(path)),
      error: (error) => {
        this.options.logger.warn('file watcher error', { collector: this.name, error });
        // Partly blind is not "failed": the collector runs on; its own component says what it cannot see.
        if (error instanceof OutOfWatchesError) this.options.health?.report(WATCHES_COMPONENT, 'failed', error.message);
      },
      recovered: () => this.options.health?.report(WATCHES_COMPONENT, 'running'),
    });
    await this.presence.follow();
  }

  async stop(): Promise<void> {
    this.presence.stop();
    this.archives.stop();
    this.pairer.flush();
    await this.source?.close();
    this.source = null;
    await this.queue;
    this.options.actors?.stop();
  }

  /**
   * Watches one more folder from now on, with its own class — a removable volume
   * while it is mounted (the devices collector asks, through the registry). Files
   * already on it are not reported; only what changes from now on.
   */
  async watchFolder(folder: WatchedFolder): Promise<void> {
    if (this.extraFolders.has(folder.path) || this.options.folders.some((f) => f.path === folder.path)) return;
    this.extraFolders.set(folder.path, folder);
    this.classify.add(folder);
    this.fsKinds.learn(folder.path);
    this.quietRoots.add(folder.path);
    try {
      await this.source?.addRoot(folder.path, folder.maxDepth);
    } finally {
      this.quietRoots.delete(folder.path);
    }
  }

  /** Stops watching a folder given to watchFolder (the volume was unmounted). */
  unwatchFolder(path: string): void {
    if (!this.extraFolders.delete(path)) return;
    this.source?.removeRoot(path);
    // Built again: a folder given twice in two spellings keeps its first, which taking one out could lose.
    this.classify = new PathClassifier([...this.options.folders, ...this.extraFolders.values()]);
  }

  private underQuietRoot(path: string): boolean {
    return this.quietRoots.size > 0 && this.quietRoots.has(this.nearestRoot(path));
  }

  private rememberExisting(path: string, stats?: Stats): void {
    this.remember(path, stats?.size ?? 0);
  }

  /** Runs file work in arrival order: at once when nothing asynchronous is pending, else after it. */
  private serially(work: () => void | Promise<void>): void {
    if (this.pending > 0) return this.track(this.queue.then(work));
    try {
      const result = work();
      if (result) this.track(result);
    } catch (error) {
      this.notReported(error);
    }
  }

  private track(work: Promise<void>): void {
    this.pending += 1;
    this.queue = work.catch((error: unknown) => this.notReported(error)).finally(() => (this.pending -= 1));
  }

  private notReported(error: unknown): void {
    this.options.logger.warn('file event not reported', { collector: this.name, error });
  }

  private onAdd(path: string, stats?: Stats): void | Promise<void> {
    if (this.sizes.has(path)) return; // already reported by the scan of a folder that appeared
    const size = stats?.size ?? 0;
    this.remember(path, size);
    const previous = this.pairer.added(path, size);
    if (previous) {
      this.followArchive(previous, path);
      return this.report('rename', path, previous, stats, size);
    }
    const facts = this.classify.watched(path);
    if (!facts) return;
    this.archives.forget(path);
    if (facts.folderClass !== 'phi') this.growing.set(path, this.now());
    return this.reportCopyOr('create', path, stats, size, facts, 0);
  }

  /** Reports a new or grown file outside the patient-data folders as the copy of a patient file it is, else as `otherwise`. */
  private reportCopyOr(
    otherwise: 'create' | 'write',
    path: string,
    stats: Stats | undefined,
    size: number,
    facts: PathShape,
    sampleFrom: number,
  ): void | Promise<void> {
    const candidates = this.copyCandidates(basename(path), size, dirname(path), facts);
    const reported = (source: string | undefined) => {
      if (!source) {
        // An archive already waiting is not read for its first bytes again on each write.
        if (this.archives.waiting(path) || this.mayBeArchive(path, size, facts)) this.archives.whenQuiet(path);
        return this.report(otherwise, path, '', stats, size, sampleFrom, facts);
      }
      this.growing.delete(path);
      return this.report('copy', path, source, stats, size, 0, facts);
    };
    if (candidates.length === 0) return reported(undefined);
    // Which patient file it copies (copy-lineage.ts): read at once on local disks, waited for on a share.
    if (this.fsKinds.isLocal(path) && candidates.every((p) => this.fsKinds.isLocal(p)))
      return reported(copiedFrom(path, size, candidates));
    return copiedFromAsync(path, size, candidates).then(reported);
  }

  /**
   * What a new file (or an archive's entry) named `name` outside the patient-data folders may copy:
   * the patient-data files of its name, then (from MIN_RENAMED_COPY_BYTES) those of its size, for a
   * copy saved under another name. `dir` is where the new file is (never a candidate itself).
   */
  private copyCandidates(name: string, size: number, dir: string, facts: PathShape): string[] {
    if (size <= 0 || facts.folderClass === 'phi' || !this.source?.filesNamed) return [];
    const named = this.source.filesNamed(name, dir).filter((p) => this.isPatientData(p));
    if (size < MIN_RENAMED_COPY_BYTES || named.length >= MAX_COPY_CANDIDATES || !this.source.filesOfSize) return named;
    const sized = this.source.filesOfSize(size, MAX_COPY_CANDIDATES, dir);
    return [...named, ...sized.filter((p) => !named.includes(p) && this.isPatientData(p))];
  }

  /** A new file outside the patient-data folders that may be an archive (on a share, archivedFrom tells). */
  private mayBeArchive(path: string, size: number, facts: PathShape): boolean {
    if (size < MIN_ARCHIVE_BYTES || facts.folderClass === 'phi' || !this.source?.filesNamed) return false;
    return !this.fsKinds.isLocal(path) || startsLikeArchive(path);
  }

  /** A waiting archive renamed: looked inside under its new name, if that is still outside the patient-data folders. */
  private followArchive(from: string, to: string): void {
    if (!this.archives.moved(from, to)) return;
    const facts = this.classify.watched(to);
    if (facts && facts.folderClass !== 'phi') this.archives.whenQuiet(to);
  }

  /** Reports each patient file an archive holds (archive-lineage.ts) as copied into it. */
  private async reportArchived(path: string): Promise<void> {
    const facts = this.classify.watched(path);
    if (!facts) return; // its folder is no longer watched
    const dir = dirname(path);
    const lineage = await archivedFrom(path, (entry) => this.copyCandidates(entry.name, entry.size, dir, facts));
    if (!lineage) return;
    // A whole archive grows into nothing more; one still being written (a tar cut short) is read again
    // when next left alone, and only the copies found past those already reported are reported.
    if (lineage.complete) this.growing.delete(path);
    const reported = this.archives.reportedOf(path);
    this.archives.report(path, lineage.copies.length);
    const stats = await stat(path).catch(() => undefined);
    for (const { entry, source } of lineage.copies.slice(reported))
      await this.report('copy', path, source, stats, entry.size, undefined, facts);
    if (!lineage.complete && !this.stillGrowing(path))
      // Without the path: it may name a ward or a person.
      this.options.logger.warn('archive not checked to its end against patient files', {
        collector: this.name,
        copies: lineage.copies.length,
      });
  }

  private isPatientData(path: string): boolean {
    return this.classify.watched(path)?.folderClass === 'phi';
  }

  private onChange(path: string, stats?: Stats): void | Promise<void> {
    const before = this.sizes.get(path);
    const size = stats?.size ?? 0;
    this.remember(path, size);
    const facts = this.stillGrowing(path) || this.archives.waiting(path) ? this.classify.watched(path) : null;
    if (facts) return this.reportCopyOr('write', path, stats, size, facts, sampleOffset(before, size));
    return this.report('write', path, '', stats, size, sampleOffset(before, size));
  }

  private stillGrowing(path: string): boolean {
    const since = this.growing.get(path);
    if (since === undefined) return false;
    if (this.now() - since <= GROWING_COPY_MS) return true;
    this.growing.delete(path);
    return false;
  }

  private remember(path: string, size: number): void {
    this.sizes.set(path, size);
  }

  private onUnlink(path: string): void {
    const size = this.sizes.get(path);
    this.sizes.delete(path);
    this.growing.delete(path);
    // An archive's pending look is kept: if this was the first half of a rename, followArchive moves it.
    this.pairer.deleted(path, size ?? null, this.now());
  }

  /**
   * Builds and emits one event. On a local disk with the owner's name known this is
   * synchronous (no promise, no allocation for the sample); otherwise it waits for
   * the sample and the passwd file. The chokidar engine stays as it was (the
   * benchmark's baseline): always asynchronous.
   */
  private report(
    action: Action,
    path: string,
    previousPath: string,
    stats: Stats | undefined,
    size: number,
    sampleFrom?: number,
    facts = this.classify.watched(path),
  ): void | Promise<void> {
    if (!facts || !this.sink) return;
    if (facts.folderClass !== 'phi' && this.copiesOnlyAt(path) && !this.arriving(action, previousPath)) return;
    const owner = stats ? this.userNames.name(stats.uid) : '';
    if (this.options.engine !== 'chokidar' && this.fsKinds.isLocal(path)) {
      const shared =
        sampleFrom !== undefined && stats ? this.options.samples?.take(path, stats, sampleFrom) : undefined;
      const entropy = sampleFrom === undefined ? -1 : (shared ?? sampleEntropySync(path, sampleFrom));
      return this.emit(action, path, previousPath, facts, size, entropy, owner);
    }
    return this.reportAsync(action, path, previousPath, facts, owner, size, sampleFrom);
  }

  /** Whether only patient data arriving is reported at `path`: its nearest watched folder is a copies-only one. */
  private copiesOnlyAt(path: string): boolean {
    return this.extraFolders.size > 0 && this.extraFolders.get(this.nearestRoot(path))?.copiesOnly === true;
  }

  /**
   * The deepest watched folder holding `path`, configured or found at run time: a folder a site
   * configured inside a profile's top is its own, and reports everything.
   */
  private nearestRoot(path: string): string {
    return this.classify.folderOf(path) ?? '';
  }

  /** Patient data arriving: a copy of a patient file, or one moved in from the patient-data folders. */
  private arriving(action: Action, previousPath: string): boolean {
    return action === 'copy' || (action === 'rename' && this.classify.watched(previousPath)?.folderClass === 'phi');
  }

  private async reportAsync(
    action: Action,
    path: string,
    previousPath: string,
    facts: PathShape,
    owner: string,
    size: number,
    sampleFrom?: number,
  ): Promise<void> {
    let entropy = -1;
    if (sampleFrom !== undefined) {
      const sample = await readSample(path, sampleFrom);
      if (sample) entropy = roundedEntropy(sample);
    }
    this.emit(action, path, previousPath, facts, size, entropy, owner);
  }

  private emit(
    action: Action,
    path: string,
    previousPath: string,
    facts: PathShape,
    size: number,
    entropy: number,
    owner: string,
  ): void {
    const actor = this.options.actors?.actorOf(path);
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
      process: actor?.exe ?? '',
      pid: actor?.pid ?? 0,
    };
    // A chart moved out of the patient-data folders is scored as taken out (event-to-portable.ts).
    if (action === 'rename') file.previousFolderClass = this.classify.watched(previousPath)?.folderClass;
    const event: Event = {
      id: randomUUID(),
      timeMs: this.now(),
      sequence: 0, // given by the outbox
      severity: facts.folderClass === 'phi' ? Severity.SEVERITY_LOW : Severity.SEVERITY_INFO,
      user: owner,
      detail: { $case: 'file', value: file },
    };
    this.sink?.emit(event);
  }
}

/** Where the new content of a write starts: appended content, or all of a rewrite in place. */
function sampleOffset(before: number | undefined, size: number): number {
  return before !== undefined && size > before ? before : 0;
}
