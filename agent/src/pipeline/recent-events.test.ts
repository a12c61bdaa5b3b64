import type { Event, FileActivity } from '@wardwatch/proto';
import { describe, expect, it } from 'vitest';
import { RecentEvents, toRecentEvent } from './recent-events';

const file = (value: Partial<FileActivity>): Event => ({
  id: 'e1',
  timeMs: 1,
  sequence: 0,
  severity: 0,
  user: 'u_1',
  detail: {
    $case: 'file',
    value: {
      action: 'create',
      path: 'p_phi_1',
      previousPath: '',
      folderClass: 'phi',
      extension: '.pdf',
      depth: 1,
      sizeBytes: 2_000,
      entropy: -1,
      owner: 'u_1',
      process: '',
      pid: 0,
      ...value,
    },
  },
});

describe('recent events for the tray', () => {
  it('says where patient data went: a copy, a chart moved out, and plain file work', () => {
    const summary = (value: Partial<FileActivity>) => toRecentEvent(file(value)).summary;
    expect(summary({ action: 'copy', folderClass: 'removable' })).toBe(
      'copy of a patient-data .pdf into a removable folder, 2000 bytes',
    );
    expect(summary({ action: 'rename', folderClass: 'other', previousFolderClass: 'phi' })).toBe(
      'patient-data .pdf moved out into an other folder, 2000 bytes',
    );
    expect(summary({ action: 'rename', previousFolderClass: 'phi' })).toBe('rename .pdf in a phi folder, 2000 bytes');
    expect(summary({ action: 'write', extension: '', sizeBytes: 0 })).toBe('write (no extension) in a phi folder');
  });

  it('keeps the newest events, newest first', () => {
    const recent = new RecentEvents(2);
    for (const id of ['a', 'b', 'c']) recent.add({ ...file({}), id });
    expect(recent.list().map((e) => e.id)).toEqual(['c', 'b']);
  });
});
