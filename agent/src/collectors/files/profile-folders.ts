// The folders in the profiles on this workstation where a chart taken out of the
// patient-data folders lands:
// - the folders cloud-storage clients upload on their own (`/home/ana/OneDrive`,
//   `C:\Users\ana\Dropbox (Personal)`, `/Users/ana/Library/CloudStorage/GoogleDrive-…`):
//   a chart copied there leaves the hospital with no further step;
// - the folders a "Save as" or a download lands in (`Desktop`, `Documents`, `Downloads`),
//   and the profile's own top (`cp chart.pdf ~`, `C:\Users\Public`): where charts are
//   gathered before they are mailed, uploaded or zipped;
// - a Windows profile's own temporary folder (`AppData\Local\Temp`): where a mail's
//   attachments, an archive's entries and a browser's uploads are staged.
// The file collector watches them for patient data arriving (copies, charts moved in)
// and reports nothing else: staff's own files there are none of the agent's business.
import type { Dirent } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { isSyncClientFolder } from '@wardwatch/shared/agent';
import type { WatchedFolder } from './watched-folder';

/** Profiles looked into per root, and folders kept of each kind: bounds the work and the watches. */
export const MAX_PROFILES = 2_000;
export const MAX_SYNC_FOLDERS = 200;
export const MAX_SAVE_FOLDERS = 300;

export interface ProfileFolderKinds {
  /** Cloud-storage clients' folders. */
  sync: boolean;
  /** Names of the folders a profile saves into, looked for at its top (`Desktop`, …); none: not looked for. */
  saveFolders: readonly string[];
  /** Subfolder levels of a save folder watched (Documents trees run deep; each folder is an OS watch). */
  saveDepth: number;
  /** The profile's own folder too, without its subfolders. */
  profileTop: boolean;
  /** Subfolder levels of a profile's own temporary folder (PROFILE_TEMP) watched; undefined: not looked for. */
  tempDepth?: number;
}

/** A Windows profile's own temporary folder (%TEMP%), below the profile. */
export const PROFILE_TEMP = ['AppData', 'Local', 'Temp'] as const;

/** Where profiles live, per platform. */
export function defaultProfileRoots(platform: NodeJS.Platform): string[] {
  if (platform === 'win32') return ['C:\\Users'];
  if (platform === 'darwin') return ['/Users'];
  return ['/home'];
}

/** The folders of these kinds in the profiles under these roots (unreadable ones are passed over). */
export async function findProfileFolders(
  profileRoots: readonly string[],
  kinds: ProfileFolderKinds,
): Promise<WatchedFolder[]> {
  const synced: WatchedFolder[] = [];
  const saved: WatchedFolder[] = [];
  const sync = (path: string) => {
    if (kinds.sync && synced.length < MAX_SYNC_FOLDERS) synced.push({ path, class: 'other', copiesOnly: true });
  };
  const save = (path: string, maxDepth: number) => {
    if (saved.length < MAX_SAVE_FOLDERS) saved.push({ path, class: 'other', copiesOnly: true, maxDepth });
  };
  for (const root of profileRoots) {
    for (const home of await recentFirst((await folders(root)).map((profile) => join(root, profile)))) {
      const names = await folders(home);
      if (kinds.profileTop) save(home, 0);
      for (const name of names) {
        if (isSyncClientFolder(name)) sync(join(home, name));
        else if (kinds.saveFolders.includes(name)) save(join(home, name), kinds.saveDepth);
      }
      // One look, not a listing: AppData\Local holds hundreds of folders, and this runs every round.
      if (kinds.tempDepth !== undefined && names.includes(PROFILE_TEMP[0])) {
        const temp = join(home, ...PROFILE_TEMP);
        if ((await lstat(temp).catch(() => null))?.isDirectory()) save(temp, kinds.tempDepth);
      }
      // macOS File Provider clients (OneDrive, Google Drive, Dropbox) and iCloud Drive: only where
      // the profile has a Library (a Linux or Windows profile costs one listing a round, not three).
      if (!kinds.sync || !names.includes('Library')) continue;
      const library = join(home, 'Library');
      for (const name of await folders(join(library, 'CloudStorage'))) sync(join(library, 'CloudStorage', name));
      if ((await folders(join(library, 'Mobile Documents'))).includes('com~apple~CloudDocs'))
        sync(join(library, 'Mobile Documents', 'com~apple~CloudDocs'));
    }
  }
  return [...synced, ...saved];
}

/**
 * The first MAX_PROFILES of these profiles, the most recently changed first: past the bounds, the
 * folders of the staff who work here now are watched, not of those who once logged on.
 */
async function recentFirst(homes: string[]): Promise<string[]> {
  const changed = await Promise.all(
    homes.map((home) =>
      lstat(home).then(
        (s) => s.mtimeMs,
        () => 0,
      ),
    ),
  );
  const order = homes.map((_, i) => i).sort((a, b) => changed[b] - changed[a]);
  return order.slice(0, MAX_PROFILES).map((i) => homes[i]);
}

/** Names of the folders in `dir` (not links: a link could lead anywhere), none when unreadable. */
async function folders(dir: string): Promise<string[]> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name);
}
