// Which folders the file collector watches over time. Neither watch engine follows a path that
// does not exist yet, nor one removed and made again, so the configured folders are checked every
// `checkMs`: one that appears is watched, one that vanishes is let go. Folders found at run time
// (profiles' synced and save folders: profile-folders.ts; scratch folders) are looked for every
// `discoverMs` and come and go the same way.
import { stat } from 'node:fs/promises';
import type { Logger } from '../../logging/logger';
import type { WatchedFolder } from './watched-folder';

export interface FolderPresenceOptions {
  folders: readonly WatchedFolder[];
  logger: Logger;
  checkMs: number;
  /** A configured folder appeared (or returned). */
  appeared(folder: WatchedFolder): Promise<void>;
  /** A configured folder vanished. */
  vanished(folder: WatchedFolder): void;
  /** Finds the run-time folders; none when absent. */
  discover?: () => Promise<WatchedFolder[]>;
  discoverMs: number;
  /** A run-time folder was found. */
  found(folder: WatchedFolder): Promise<void>;
  /** A run-time folder is no longer found. */
  lost(path: string): void;
}

const FIELDS = { collector: 'files' };

export class FolderPresence {
  private readonly present = new Map<string, boolean>();
  /** Run-time folders found and watched (let go when no longer found). */
  private readonly discovered = new Set<string>();
  private discovering = false;
  private checkTimer: NodeJS.Timeout | null = null;
  private discoverTimer: NodeJS.Timeout | null = null;

  constructor(private readonly options: FolderPresenceOptions) {}

  /** The configured folders there now (the rest are waited for, once `follow` runs). */
  async presentNow(): Promise<WatchedFolder[]> {
    const present: WatchedFolder[] = [];
    for (const folder of this.options.folders) {
      const isDir = await isDirectory(folder.path);
      this.present.set(folder.path, isDir);
      if (isDir) present.push(folder);
      else this.options.logger.warn('watched folder missing, waiting for it', { ...FIELDS, folderClass: folder.class });
    }
    return present;
  }

  /** Checks the configured folders and looks for the run-time ones from now on (the first look awaited). */
  async follow(): Promise<void> {
    this.checkTimer = setInterval(() => void this.check(), this.options.checkMs);
    if (!this.options.discover) return;
    await this.discover();
    this.discoverTimer = setInterval(() => void this.discover(), this.options.discoverMs);
  }

  stop(): void {
    if (this.checkTimer) clearInterval(this.checkTimer);
    if (this.discoverTimer) clearInterval(this.discoverTimer);
    this.checkTimer = this.discoverTimer = null;
  }

  private async check(): Promise<void> {
    for (const folder of this.options.folders) {
      const isDir = await isDirectory(folder.path);
      if (isDir === this.present.get(folder.path)) continue;
      this.present.set(folder.path, isDir);
      // Said once per change, without the path (it may name a ward or a person).
      if (isDir) {
        this.options.logger.info('watched folder appeared', { ...FIELDS, folderClass: folder.class });
        await this.options.appeared(folder);
      } else {
        this.options.vanished(folder);
        this.options.logger.warn('watched folder vanished, waiting for it to return', {
          ...FIELDS,
          folderClass: folder.class,
        });
      }
    }
  }

  private async discover(): Promise<void> {
    if (this.discovering || !this.options.discover) return;
    this.discovering = true;
    try {
      const found = await this.options.discover();
      const paths = new Set(found.map((folder) => folder.path));
      for (const path of this.discovered)
        if (!paths.has(path)) {
          this.discovered.delete(path);
          this.options.lost(path);
        }
      for (const folder of found)
        if (!this.discovered.has(folder.path)) {
          this.discovered.add(folder.path);
          await this.options.found(folder);
        }
    } catch (error) {
      this.options.logger.warn('folders to watch not found', { ...FIELDS, error });
    } finally {
      this.discovering = false;
    }
  }
}

function isDirectory(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
}
