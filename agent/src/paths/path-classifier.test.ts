import { describe, expect, it } from 'vitest';
import { PathClassifier, plainExtension } from './path-classifier';

describe('PathClassifier', () => {
  const places = new PathClassifier([
    { path: '/srv/records', class: 'phi' },
    { path: '/srv/records/scratch', class: 'other' },
    { path: 'D:\\Patients', class: 'phi' },
  ]);

  it('takes the class of the deepest configured folder and counts depth below it', () => {
    expect(places.shape('/srv/records/ward3/a.pdf', '.pdf')).toEqual({
      folderClass: 'phi',
      depth: 2,
      extension: '.pdf',
    });
    expect(places.shape('/srv/records/scratch/a.pdf', '.pdf')).toEqual({
      folderClass: 'other',
      depth: 1,
      extension: '.pdf',
    });
    expect(places.shape('d:/patients/Jones/scan.dcm', '.dcm')).toMatchObject({ folderClass: 'phi', depth: 2 });
    expect(places.shape('/srv/recordsX/a.pdf', '.pdf')).toMatchObject({ folderClass: 'other', depth: 3 });
  });

  it('knows the usual removable and system places, and counts from the root otherwise', () => {
    expect(places.shape('/media/jones/STICK/a/b.xlsx', '.xlsx')).toMatchObject({ folderClass: 'removable', depth: 2 });
    expect(places.shape('/Volumes/USB/b.xlsx', '.xlsx')).toMatchObject({ folderClass: 'removable', depth: 1 });
    expect(places.shape('C:\\ProgramData\\evil\\x.exe', '.exe')).toMatchObject({ folderClass: 'system', depth: 2 });
    expect(places.shape('/etc/sudoers.d/jones', '')).toMatchObject({ folderClass: 'system', depth: 2 });
    expect(places.shape('C:\\Users\\jones\\x.exe', '.exe')).toMatchObject({ folderClass: 'other', depth: 3 });
    expect(places.shape('\\\\filesrv\\share\\x.pdf', '.pdf')).toMatchObject({ folderClass: 'other', depth: 1 });
  });
});

describe('PathClassifier.watched (the file collector asks it)', () => {
  it('keeps only plain extensions and classifies by the deepest configured folder', () => {
    expect(plainExtension('/a/b.TXT')).toBe('.txt');
    expect(plainExtension('/a/b.jones-private')).toBe('');
    const folders = new PathClassifier([
      { path: '/srv', class: 'other' },
      { path: '/srv/phi', class: 'phi' },
    ]);
    expect(folders.watched('/srv/phi/x/y.doc')).toEqual({ folderClass: 'phi', depth: 2, extension: '.doc' });
    expect(folders.watched('/srv/y')).toEqual({ folderClass: 'other', depth: 1, extension: '' });
    expect(folders.watched('/srv/phi')).toEqual({ folderClass: 'other', depth: 1, extension: '' });
    expect(folders.watched('/srv')).toBeNull();
    expect(folders.watched('/elsewhere/y')).toBeNull();
    expect(folders.watched('/media/usb/y')).toBeNull(); // only configured folders are watched
  });

  it("finds the nearest folder by a path's parents: roots, drives, shares, spellings", () => {
    const folders = new PathClassifier([
      { path: '/', class: 'other' },
      { path: 'E:\\', class: 'removable' },
      { path: '\\\\ehr-fs\\Charts\\', class: 'phi' },
      { path: 'c:/users/jones/', class: 'other' },
      { path: 'C:\\Users\\Jones\\Charts', class: 'phi' },
      { path: '/home/ward3/', class: 'phi' },
      { path: '/home/ward3', class: 'other' }, // the same folder again: the first one holds
    ]);
    expect(folders.watched('/etc/passwd')).toMatchObject({ folderClass: 'other', depth: 2 });
    expect(folders.watched('/home/ward3/a/b.pdf')).toMatchObject({ folderClass: 'phi', depth: 2 });
    expect(folders.watched('e:\\notes.txt')).toMatchObject({ folderClass: 'removable', depth: 1 });
    expect(folders.watched('\\\\EHR-FS\\charts\\2024\\x.pdf')).toMatchObject({ folderClass: 'phi', depth: 2 });
    expect(folders.watched('\\\\ehr-fs\\other\\x.pdf')).toBeNull();
    expect(folders.watched('C:/Users/JONES/charts/x.pdf')).toMatchObject({ folderClass: 'phi', depth: 1 });
    expect(folders.watched('C:\\Users\\Jones\\Desktop\\x.pdf')).toMatchObject({ folderClass: 'other', depth: 2 });
    expect(folders.watched('C:\\Users\\Jones')).toBeNull();
    expect(folders.watched('D:\\x.pdf')).toBeNull();
    expect(folders.shape('\\\\ehr-fs\\charts', '')).toMatchObject({ folderClass: 'phi', depth: 0 });
    expect(folders.shape('relative/name.pdf', '.pdf')).toMatchObject({ folderClass: 'other', depth: 2 });

    folders.add({ path: 'C:\\Users\\Jones\\Desktop', class: 'removable' });
    folders.add({ path: '/home/ward3/', class: 'other' }); // known: keeps phi
    expect(folders.watched('c:\\users\\jones\\desktop\\x.pdf')).toMatchObject({ folderClass: 'removable', depth: 1 });
    expect(folders.folderOf('c:\\users\\jones\\desktop\\x.pdf')).toBe('C:\\Users\\Jones\\Desktop');
    expect(folders.folderOf('/home/ward3/a/b.pdf')).toBe('/home/ward3/');
    expect(folders.folderOf('/home/ward3')).toBe('/');
  });
});
