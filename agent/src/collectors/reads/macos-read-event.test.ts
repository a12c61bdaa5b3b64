import { describe, expect, it } from 'vitest';
import { parseMacosReadEvent } from './macos-read-event';
import { esloggerOpen } from './macos-read-event.fixture';

describe('parseMacosReadEvent', () => {
  it("takes a regular file opened to read, with the login's uid behind the process", () => {
    expect(parseMacosReadEvent(esloggerOpen())).toEqual({
      kind: 'read',
      read: {
        path: '/Users/Shared/PHI/icu/3/chart1.pdf',
        timeMs: Date.UTC(2026, 11, 6, 9, 0, 1, 123),
        process: '/System/Applications/Preview.app/Contents/MacOS/Preview',
        pid: 812,
        user: undefined,
        owner: '',
      },
      uid: 501,
    });
  });

  it('leaves out opens to write, folders and other events', () => {
    expect(parseMacosReadEvent(esloggerOpen({ fflag: 0x3 }))).toEqual({ kind: 'ignored' }); // read and write
    expect(parseMacosReadEvent(esloggerOpen({ fflag: 0x2 }))).toEqual({ kind: 'ignored' });
    expect(parseMacosReadEvent(esloggerOpen({ mode: 0o40755 }))).toEqual({ kind: 'ignored' }); // ls of a folder
    const exec = JSON.parse(esloggerOpen()) as { event: unknown };
    exec.event = { exec: { target: {} } };
    expect(parseMacosReadEvent(JSON.stringify(exec))).toEqual({ kind: 'ignored' });
  });

  it("says no person is behind daemons and Apple's indexers, but not behind a copy named like one", () => {
    const uid = (line: string) => {
      const r = parseMacosReadEvent(line);
      return r.kind === 'read' ? r.uid : r.kind;
    };
    expect(uid(esloggerOpen({ auid: 4294967295 }))).toBeUndefined();
    expect(uid(esloggerOpen({ auid: -1 }))).toBeUndefined();
    expect(uid(esloggerOpen({ signingId: 'com.apple.mdworker_shared' }))).toBeUndefined();
    expect(uid(esloggerOpen({ signingId: 'com.apple.mdworker_shared', platform: false }))).toBe(501);
    expect(uid(esloggerOpen({ signingId: null }))).toBe(501);
  });

  it('names files on the data volume by their path from the root', () => {
    const r = parseMacosReadEvent(esloggerOpen({ path: '/System/Volumes/Data/Users/Shared/PHI/../PHI/ed/c.pdf' }));
    expect(r.kind === 'read' && r.read.path).toBe('/Users/Shared/PHI/ed/c.pdf');
  });

  it('says what it cannot read', () => {
    expect(parseMacosReadEvent('{"time":')).toEqual({ kind: 'error', reason: 'macOS event is not valid JSON' });
    expect(parseMacosReadEvent('{"time":"x","event":{}}')).toEqual({
      kind: 'error',
      reason: 'macOS event lacks fields: process',
    });
    expect(parseMacosReadEvent(esloggerOpen({ truncated: true }))).toEqual({
      kind: 'error',
      reason: 'macOS read event with a path over 4,096 characters',
    });
    const badTime = esloggerOpen().replace(/"time":"[^"]+"/, '"time":"yesterday"');
    expect(parseMacosReadEvent(badTime)).toEqual({ kind: 'error', reason: 'macOS read event with an unreadable time' });
  });
});
