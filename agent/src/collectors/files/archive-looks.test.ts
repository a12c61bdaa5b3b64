import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ArchiveLooks } from './archive-looks';

describe('ArchiveLooks', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('looks inside an archive once it has been quiet, the wait starting again on each write', () => {
    const looked: string[] = [];
    const looks = new ArchiveLooks(1_000, (path) => looked.push(path));
    looks.whenQuiet('/usb/a.tar');
    vi.advanceTimersByTime(900);
    looks.whenQuiet('/usb/a.tar');
    vi.advanceTimersByTime(900);
    expect(looked).toEqual([]);
    expect(looks.waiting('/usb/a.tar')).toBe(true);
    vi.advanceTimersByTime(100);
    expect(looked).toEqual(['/usb/a.tar']);
    expect(looks.waiting('/usb/a.tar')).toBe(false);
  });

  it('past a thousand waiting, a new archive is looked inside at once', () => {
    const looked: string[] = [];
    const looks = new ArchiveLooks(1_000, (path) => looked.push(path));
    for (let i = 0; i < 1_000; i += 1) looks.whenQuiet(`/usb/${i}.tar`);
    expect(looked).toEqual([]);
    looks.whenQuiet('/usb/late.tar');
    expect(looked).toEqual(['/usb/late.tar']);
    looks.stop();
    vi.advanceTimersByTime(2_000);
    expect(looked).toEqual(['/usb/late.tar']);
  });

  it('a renamed archive keeps its wait and what was reported of it', () => {
    const looked: string[] = [];
    const looks = new ArchiveLooks(1_000, (path) => looked.push(path));
    looks.whenQuiet('/usb/.tmp123');
    looks.report('/usb/.tmp123', 4);
    looks.report('/usb/.tmp123', 2);
    expect(looks.reportedOf('/usb/.tmp123')).toBe(4);
    expect(looks.moved('/usb/.tmp123', '/usb/notes.tar')).toBe(true);
    expect(looks.reportedOf('/usb/notes.tar')).toBe(4);
    vi.advanceTimersByTime(2_000);
    expect(looked).toEqual([]); // the collector starts the wait under the new name
    expect(looks.moved('/usb/other', '/usb/x.tar')).toBe(false);
    looks.forget('/usb/notes.tar');
    expect(looks.reportedOf('/usb/notes.tar')).toBe(0);
  });
});
