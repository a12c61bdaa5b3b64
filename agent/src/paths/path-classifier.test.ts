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
});
