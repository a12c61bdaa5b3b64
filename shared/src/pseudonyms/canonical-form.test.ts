// canonicalFolder: the folder whose PRF output keys a path's token in OPRF mode
// (oprf-token.ts). Every spelling of one file must give one folder, and the folder must be
// the one the file is in — not its parent, not the file itself.
import { describe, expect, it } from 'vitest';
import { canonicalFolder } from './canonical-form';

describe('canonicalFolder', () => {
  it.each([
    ['/srv/records/ward3/discharge.pdf', '/srv/records/ward3/'],
    ['/srv//records/./ward3/discharge.pdf', '/srv/records/ward3/'],
    ['  /srv/records/ward3/Discharge.PDF ', '/srv/records/ward3/'],
    ['/srv/Records/ward3/a.pdf', '/srv/Records/ward3/'], // POSIX keeps case
    ['/srv/records/../ward3/a.pdf', '/srv/records/../ward3/'], // `..` kept, as canonicalPath keeps it
    ['/srv/records/ward3/', '/srv/records/'], // a folder's own path: its parent, as for a file
  ])('POSIX: %j is in %j', (path, folder) => {
    expect(canonicalFolder(path)).toBe(folder);
  });

  it.each([
    ['C:\\Users\\Jones\\Documents\\list.xlsx', 'c:\\users\\jones\\documents\\'],
    ['c:/users/jones/documents/LIST.xlsx', 'c:\\users\\jones\\documents\\'],
    ['C:\\Users\\\\Jones\\.\\Documents\\list.xlsx', 'c:\\users\\jones\\documents\\'],
    ['E:\\export\\list.xlsx', 'e:\\export\\'],
  ])('Windows: %j is in %j', (path, folder) => {
    expect(canonicalFolder(path)).toBe(folder);
  });

  it.each([
    ['/notes.txt', '/'],
    ['C:\\notes.txt', 'c:\\'],
    ['c:/notes.txt', 'c:\\'],
    ['notes.txt', ''],
  ])('a file at the root: %j is in %j', (path, folder) => {
    expect(canonicalFolder(path)).toBe(folder);
  });

  it.each([
    ['\\\\fileserver\\ward3\\letters\\jones.docx', '\\\\fileserver\\ward3\\letters\\'],
    ['//FileServer/Ward3/letters/jones.docx', '\\\\fileserver\\ward3\\letters\\'],
    ['\\\\fileserver\\ward3\\jones.docx', '\\\\fileserver\\ward3\\'],
  ])('UNC: %j is in %j', (path, folder) => {
    expect(canonicalFolder(path)).toBe(folder);
  });

  it('two files of one folder share it; the same name in another folder does not', () => {
    expect(canonicalFolder('/srv/records/ward3/a.pdf')).toBe(canonicalFolder('/srv/records/ward3/b.pdf'));
    expect(canonicalFolder('/srv/records/ward3/a.pdf')).not.toBe(canonicalFolder('/srv/records/ward4/a.pdf'));
  });
});
