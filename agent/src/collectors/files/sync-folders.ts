// The folders cloud-storage clients upload on their own, found in the profiles
// on this workstation (`/home/ana/OneDrive`, `C:\Users\ana\Dropbox (Personal)`,
// `/Users/ana/Library/CloudStorage/GoogleDrive-…`). A chart copied there leaves
// the hospital with no further step, so the file collector watches them for
// patient data arriving (copies, charts moved in) and reports nothing else:
// staff's own files there are none of the agent's business.
import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { isSyncClientFolder } from '@wardwatch/shared/agent';
import type { WatchedFolder } from './file-collector';

/** Profiles looked into per root, and synced folders kept in all: bounds the work and the watches. */
export const MAX_PROFILES = 2_000;
export const MAX_SYNC_FOLDERS = 200;

/** Where profiles live, per platform. */
export function defaultProfileRoots(platform: NodeJS.Platform): string[] {
  if (platform === 'win32') return ['C:\\Users'];
  if (platform === 'darwin') return ['/Users'];
  return ['/home'];
}

/** The synced folders in the profiles under these roots (unreadable ones are passed over). */
export async function findSyncFolders(profileRoots: readonly string[]): Promise<WatchedFolder[]> {
  const found: WatchedFolder[] = [];
  const add = (path: string) => {
    if (found.length < MAX_SYNC_FOLDERS) found.push({ path, class: 'other', copiesOnly: true });
  };
  for (const root of profileRoots) {
    for (const profile of (await folders(root)).slice(0, MAX_PROFILES)) {
      const home = join(root, profile);
      const names = await folders(home);
      for (const name of names) if (isSyncClientFolder(name)) add(join(home, name));
      // macOS File Provider clients (OneDrive, Google Drive, Dropbox) and iCloud Drive: only where
      // the profile has a Library (a Linux or Windows profile costs one listing a round, not three).
      if (!names.includes('Library')) continue;
      const library = join(home, 'Library');
      for (const name of await folders(join(library, 'CloudStorage'))) add(join(library, 'CloudStorage', name));
      if ((await folders(join(library, 'Mobile Documents'))).includes('com~apple~CloudDocs'))
        add(join(library, 'Mobile Documents', 'com~apple~CloudDocs'));
    }
  }
  return found;
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
