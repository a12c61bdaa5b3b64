import { describe, expect, it } from 'vitest';
import { inSyncFolder, isSyncClientFolder } from './sync-folders';

describe('inSyncFolder', () => {
  it('knows the folders cloud-storage clients make, on Windows, macOS and Linux', () => {
    const synced = [
      'C:\\Users\\nurse\\OneDrive\\chart.pdf',
      'C:\\Users\\nurse\\OneDrive - St Mary Hospital\\Desktop\\chart.pdf',
      'c:\\users\\nurse\\dropbox\\a\\chart.pdf',
      'C:\\Users\\nurse\\Dropbox (Personal)\\chart.pdf',
      'C:\\Users\\nurse\\Google Drive\\chart.pdf',
      'G:\\My Drive\\charts\\chart.pdf',
      'C:\\Users\\nurse\\My Drive\\chart.pdf',
      'C:\\Users\\nurse\\iCloudDrive\\chart.pdf',
      'C:\\Users\\nurse\\Box\\chart.pdf',
      '/home/nurse/Nextcloud/chart.pdf',
      '/Users/nurse/Library/CloudStorage/OneDrive-Personal/chart.pdf',
      '/Users/nurse/Library/Mobile Documents/com~apple~CloudDocs/chart.pdf',
    ];
    expect(synced.filter((path) => !inSyncFolder(path))).toEqual([]);
  });

  it('leaves other folders alone, including look-alike names outside a profile', () => {
    const local = [
      'C:\\Users\\nurse\\Documents\\transfer\\chart.pdf',
      'C:\\Users\\nurse\\chart.pdf',
      'C:\\Users\\nurse\\Documents\\OneDrive notes\\chart.pdf',
      'D:\\PHI\\box\\chart.pdf',
      '\\\\fs-icu\\handover\\Dropbox\\chart.pdf',
      'C:\\Users\\nurse\\OneDrive',
      '/home/nurse/Documents/chart.pdf',
      'E:\\chart.pdf',
    ];
    expect(local.filter((path) => inSyncFolder(path))).toEqual([]);
  });
});

describe('isSyncClientFolder', () => {
  it("tells a client's folder in a profile by its whole name", () => {
    const names = ['OneDrive', 'OneDrive - St Mary Hospital', 'Dropbox (Personal)', 'nextcloud', 'Google Drive', 'Box'];
    expect(names.filter((name) => !isSyncClientFolder(name))).toEqual([]);
    const others = ['Documents', 'OneDrive notes', 'My Dropbox', 'Boxes', 'OneDrive - a/b', ''];
    expect(others.filter((name) => isSyncClientFolder(name))).toEqual([]);
  });
});
