// Folders a cloud-storage client uploads on its own: patient data copied there
// leaves the hospital with no further step (OneDrive, Dropbox, Google Drive,
// iCloud Drive, Box, Nextcloud). Known by the folder the client makes in a
// user's profile (Windows `C:\Users\<name>`, Linux `/home/<name>`), by Google
// Drive's `My Drive` drive and by macOS's cloud-storage folders. Staff whose
// profile is redirected to OneDrive copy there every day: their baseline learns it.

const PROFILE_CLIENTS = String.raw`(?:OneDrive(?: - [^\\/]+)?|Dropbox(?: \([^\\/]+\))?|Google Drive|My Drive|iCloudDrive|Box|Box Sync|Nextcloud|ownCloud)`;
const SYNC_FOLDER = new RegExp(
  [
    String.raw`(?:^|[\\/])(?:Users|home)[\\/][^\\/]+[\\/]${PROFILE_CLIENTS}[\\/]`,
    String.raw`^[A-Z]:[\\/]My Drive[\\/]`,
    String.raw`[\\/]Library[\\/](?:CloudStorage|Mobile Documents)[\\/]`,
  ].join('|'),
  'i',
);

const CLIENT_FOLDER = new RegExp(`^${PROFILE_CLIENTS}$`, 'i');

/** True for the name of the folder a cloud-storage client makes in a profile (`OneDrive - St Mary`, `Dropbox`). */
export function isSyncClientFolder(name: string): boolean {
  return CLIENT_FOLDER.test(name);
}

/** True when the path lies in a cloud-storage client's synced folder. */
export function inSyncFolder(path: string): boolean {
  return SYNC_FOLDER.test(path);
}
