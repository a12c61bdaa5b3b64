// On a real folder tree shaped like a workstation's profiles.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultProfileRoots, findSyncFolders, MAX_SYNC_FOLDERS } from './sync-folders';

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

describe('findSyncFolders', () => {
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
    const found = await findSyncFolders([home, join(home, 'missing')]);
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
    expect(await findSyncFolders([home])).toHaveLength(MAX_SYNC_FOLDERS);
  });

  it('looks where each platform keeps profiles', () => {
    expect(defaultProfileRoots('linux')).toEqual(['/home']);
    expect(defaultProfileRoots('darwin')).toEqual(['/Users']);
    expect(defaultProfileRoots('win32')).toEqual(['C:\\Users']);
  });
});
