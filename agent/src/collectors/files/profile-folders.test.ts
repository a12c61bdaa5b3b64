// On a real folder tree shaped like a workstation's profiles.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultProfileRoots, findProfileFolders, MAX_SAVE_FOLDERS, MAX_SYNC_FOLDERS } from './profile-folders';

const SYNC_ONLY = { sync: true, saveFolders: [], saveDepth: 2, profileTop: false };
const SAVE_ONLY = { sync: false, saveFolders: ['Desktop', 'Documents', 'Downloads'], saveDepth: 2, profileTop: false };

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

function profiles(tree: string[]): string {
  const root = mkdtempSync(join(tmpdir(), 'ww-profiles-'));
  roots.push(root);
  for (const folder of tree) mkdirSync(join(root, folder), { recursive: true });
  return root;
}

describe('findProfileFolders', () => {
  it("finds the clients' folders in every profile, copies only, and nothing that merely looks like one", async () => {
    const home = profiles([
      'ana/OneDrive - St Mary Hospital/Desktop',
      'ana/Documents/OneDrive',
      'bob/Dropbox (Personal)',
      'bob/Nextcloud',
      'bob/OneDrive notes',
      'carl/Library/CloudStorage/GoogleDrive-carl@example.org',
      'carl/Library/Mobile Documents/com~apple~CloudDocs',
      'dora',
    ]);
    // A file named like a client's folder, and a link to one elsewhere: neither is watched.
    writeFileSync(join(home, 'dora', 'OneDrive'), 'not a folder');
    symlinkSync(join(home, 'bob', 'Nextcloud'), join(home, 'ana', 'Nextcloud'));
    const found = await findProfileFolders([home, join(home, 'missing')], SYNC_ONLY);
    expect(found.map((f) => f.path.slice(home.length + 1)).sort()).toEqual([
      'ana/OneDrive - St Mary Hospital',
      'bob/Dropbox (Personal)',
      'bob/Nextcloud',
      'carl/Library/CloudStorage/GoogleDrive-carl@example.org',
      'carl/Library/Mobile Documents/com~apple~CloudDocs',
    ]);
    expect(found.every((f) => f.class === 'other' && f.copiesOnly)).toBe(true);
  });

  it('keeps at most MAX_SYNC_FOLDERS (profiles are many on a shared terminal server)', async () => {
    const home = profiles(Array.from({ length: MAX_SYNC_FOLDERS + 5 }, (_, i) => `u${i}/OneDrive`));
    expect(await findProfileFolders([home], SYNC_ONLY)).toHaveLength(MAX_SYNC_FOLDERS);
  });

  it('finds the folders a profile saves into, by exact name, watched two levels down', async () => {
    const home = profiles([
      'ana/Desktop/handover',
      'ana/Downloads',
      'ana/OneDrive',
      'bob/Documents',
      'bob/desktop',
      'bob/Projects/Desktop',
      'Public/Documents',
    ]);
    symlinkSync(join(home, 'ana', 'Downloads'), join(home, 'carl-Downloads'));
    mkdirSync(join(home, 'carl'));
    symlinkSync(join(home, 'ana', 'Desktop'), join(home, 'carl', 'Desktop'));
    const found = await findProfileFolders([home], SAVE_ONLY);
    expect(found.map((f) => f.path.slice(home.length + 1)).sort()).toEqual([
      'Public/Documents',
      'ana/Desktop',
      'ana/Downloads',
      'bob/Documents',
    ]);
    expect(found.every((f) => f.class === 'other' && f.copiesOnly && f.maxDepth === 2)).toBe(true);
    const all = await findProfileFolders([home], { ...SAVE_ONLY, sync: true, profileTop: true });
    const depths = Object.fromEntries(all.map((f) => [f.path.slice(home.length + 1), f.maxDepth ?? 'all']));
    expect(depths).toMatchObject({ ana: 0, 'ana/OneDrive': 'all', 'ana/Desktop': 2, Public: 0, carl: 0 });
  });

  it("finds a Windows profile's own temporary folder, at the depth asked, and only when asked", async () => {
    const home = profiles(['ana/AppData/Local/Temp/Outlook', 'bob/AppData/Roaming', 'carl/Local/Temp', 'dora']);
    mkdirSync(join(home, 'eve', 'AppData', 'Local'), { recursive: true });
    symlinkSync(join(home, 'ana', 'AppData', 'Local', 'Temp'), join(home, 'eve', 'AppData', 'Local', 'Temp'));
    const none = { sync: false, saveFolders: [], saveDepth: 2, profileTop: false };
    expect(await findProfileFolders([home], none)).toEqual([]);
    expect(await findProfileFolders([home], { ...none, tempDepth: 1 })).toEqual([
      { path: join(home, 'ana', 'AppData', 'Local', 'Temp'), class: 'other', copiesOnly: true, maxDepth: 1 },
    ]);
  });

  it('keeps at most MAX_SAVE_FOLDERS beside the synced ones, of the profiles changed last', async () => {
    const home = profiles(Array.from({ length: MAX_SAVE_FOLDERS + 5 }, (_, i) => `u${i}/Desktop`));
    mkdirSync(join(home, 'u0', 'Dropbox'));
    const lastYear = new Date(Date.now() - 365 * 86_400_000);
    for (const user of ['u1', 'u2', 'u3', 'u4', 'u5']) utimesSync(join(home, user), lastYear, lastYear);
    const found = await findProfileFolders([home], { ...SAVE_ONLY, sync: true });
    const saved = found.filter((f) => f.maxDepth !== undefined).map((f) => f.path.slice(home.length + 1));
    expect(saved).toHaveLength(MAX_SAVE_FOLDERS);
    expect(saved.filter((path) => /^u[1-5]\//.test(path))).toEqual([]);
    expect(found.filter((f) => f.maxDepth === undefined).map((f) => f.path)).toEqual([join(home, 'u0', 'Dropbox')]);
  });

  it('looks where each platform keeps profiles', () => {
    expect(defaultProfileRoots('linux')).toEqual(['/home']);
    expect(defaultProfileRoots('darwin')).toEqual(['/Users']);
    expect(defaultProfileRoots('win32')).toEqual(['C:\\Users']);
  });
});
