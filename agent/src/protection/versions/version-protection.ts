// The version store as the rest of the agent sees it: built from the config, fed
// the collector's file events (observe), asked to restore (by the response side,
// for a signed command or IT staff at the tray). The store, the watcher and the
// restore are in their own files; this one only joins them and bounds the request.
import { statfsSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import type { Logger } from '../../logging/logger';
import { restoreFiles, type RestoreReport } from './file-restorer';
import { NodeProtectedFiles, type ProtectedFiles } from './protected-files';
import { VERSION_KEY_FILE, VersionCipher } from './version-cipher';
import { DiskVersionFiles } from './version-files';
import type { FileChangeObserver } from './version-sink';
import { VersionStore, type VersionStoreStats } from './version-store';
import { VersionWatcher, type ObservedAction, type VersionWatcherStats } from './version-watcher';

export interface VersionSettings {
  folderClasses: readonly string[];
  quietMinutes: number;
  maxMb: number;
  maxDiskShare: number;
  maxFileMb: number;
}

export interface RestoreTarget {
  /** A protected folder or one under it. */
  folder?: string;
  /** Every protected folder of this class. */
  folderClass?: string;
  since: number;
  removeCreatedExtensions: readonly string[];
  dryRun: boolean;
}

export type RestoreOutcome = { ok: true; report: RestoreReport } | { ok: false; reason: string };

/** What the response side needs (response-service.ts). */
export interface FileRestorer {
  restore(target: RestoreTarget): Promise<RestoreOutcome>;
}

const MAX_EXTENSIONS = 16;
const EXTENSION = /^\.[A-Za-z0-9_~-]{1,24}$/;

export class VersionProtection implements FileChangeObserver, FileRestorer {
  private constructor(
    private readonly store: VersionStore,
    private readonly watcher: VersionWatcher,
    private readonly files: ProtectedFiles,
    private readonly folders: readonly { path: string; class: string }[],
    private readonly maxFileBytes: number,
    private readonly now: () => number,
  ) {}

  static async open(options: {
    dataDir: string;
    folders: readonly { path: string; class: string }[];
    settings: VersionSettings;
    logger: Logger;
    now?: () => number;
  }): Promise<VersionProtection> {
    const { settings, dataDir, logger } = options;
    const now = options.now ?? Date.now;
    const folders = options.folders.filter((f) => settings.folderClasses.includes(f.class));
    const maxFileBytes = settings.maxFileMb * 1_048_576;
    const store = await VersionStore.open({
      files: new DiskVersionFiles(join(dataDir, 'versions')),
      cipher: VersionCipher.fromKeyFile(join(dataDir, VERSION_KEY_FILE)),
      budgetBytes: settings.maxMb * 1_048_576,
      maxFileBytes,
      now,
      logger,
    });
    const budgetBytes = budgetFor(dataDir, settings, store.stats().bytes);
    store.setBudget(budgetBytes);
    const files = new NodeProtectedFiles();
    const watcher = new VersionWatcher({
      store,
      files,
      folders: folders.map((f) => f.path),
      quietMs: settings.quietMinutes * 60_000,
      now,
      logger: logger.child({ component: 'versions' }),
    });
    logger.info('version store opened', { folders: folders.length, ...store.stats() });
    return new VersionProtection(store, watcher, files, folders, maxFileBytes, now);
  }

  start(): void {
    this.watcher.start();
  }

  stop(): Promise<void> {
    return this.watcher.stop();
  }

  observe(action: ObservedAction, path: string, previousPath?: string): void {
    this.watcher.observe(action, path, previousPath);
  }

  stats(): VersionStoreStats & VersionWatcherStats {
    return { ...this.store.stats(), ...this.watcher.stats() };
  }

  async restore(target: RestoreTarget): Promise<RestoreOutcome> {
    const folders = this.foldersFor(target);
    if (typeof folders === 'string') return { ok: false, reason: folders };
    if (target.since > this.now()) return { ok: false, reason: 'the restore time is in the future' };
    const extensions = target.removeCreatedExtensions.slice(0, MAX_EXTENSIONS).filter((e) => EXTENSION.test(e));
    // Between two copies: a copy of a file being put back must not race the write.
    const report = await this.watcher.exclusive(() =>
      restoreFiles(
        { folders, since: target.since, removeCreatedExtensions: extensions, dryRun: target.dryRun },
        {
          store: this.store,
          files: this.files,
          createdAt: (path) => this.watcher.createdAt(path),
          maxFileBytes: this.maxFileBytes,
          now: this.now,
        },
      ),
    );
    return { ok: true, report };
  }

  private foldersFor(target: RestoreTarget): string[] | string {
    if (target.folderClass !== undefined) {
      const folderClass = target.folderClass.slice(0, 32);
      const found = this.folders.filter((f) => f.class === target.folderClass).map((f) => f.path);
      return found.length > 0 ? found : `no protected folder of class ${folderClass}`;
    }
    if (!target.folder) return 'neither a folder nor a folder class named';
    const asked = resolve(target.folder);
    const inside = this.folders.some(
      (f) => asked === f.path || asked.startsWith(f.path.endsWith(sep) ? f.path : f.path + sep),
    );
    return inside ? [asked] : 'that folder is not protected';
  }
}

/**
 * The budget: `maxMb`, and at most `maxDiskShare` of the space free for the store where
 * the data folder is (free now plus what the store already holds, so a restart does
 * not shrink it).
 */
function budgetFor(dataDir: string, settings: VersionSettings, held: number): number {
  const configured = settings.maxMb * 1_048_576;
  try {
    const fs = statfsSync(dataDir);
    const room = Number(fs.bavail) * Number(fs.bsize) + held;
    return Math.max(1_048_576, Math.min(configured, Math.floor(room * settings.maxDiskShare)));
  } catch {
    return configured;
  }
}
