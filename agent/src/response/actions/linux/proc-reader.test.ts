import { afterAll, describe, expect, it } from 'vitest';
import { parseStatLine, parseStatusUids, ProcFsReader, protectedPids } from './proc-reader';
import { FakeProc } from './proc-tree.fixture';

describe('parseStatLine', () => {
  it('reads the fields the actions use, with a comm holding spaces and parentheses', () => {
    const line =
      '4242 (my (odd) prog) S 1 4242 4200 0 -1 4194560 10 0 0 0 150 50 0 0 20 0 1 0 987654 12345678 300 18446744073709551615';
    expect(parseStatLine(line)).toEqual({
      pid: 4242,
      comm: 'my (odd) prog',
      state: 'S',
      ppid: 1,
      pgrp: 4242,
      sid: 4200,
      cpuTicks: 200,
      startTicks: 987654,
      rssPages: 300,
    });
  });

  it('refuses lines it cannot read', () => {
    expect(parseStatLine('')).toBeUndefined();
    expect(parseStatLine('12 (x) S 1 2 3')).toBeUndefined();
    expect(parseStatLine('x (y) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22')).toBeUndefined();
  });

  it('reads the four uids of status', () => {
    expect(parseStatusUids('Name:\tsudo\nUid:\t1000\t0\t0\t0\nGid:\t1000\t1000\t1000\t1000\n')).toEqual([
      1000, 0, 0, 0,
    ]);
    expect(parseStatusUids('Name:\tx\n')).toBeUndefined();
  });
});

describe('ProcFsReader', () => {
  const fake = new FakeProc().add({ pid: 10, ppid: 1, uid: 1000, session: 7 }).add({ pid: 11, ppid: 10, uid: 1000 });
  afterAll(() => fake.remove());

  it('reads a fixture tree, with the audit session where set', () => {
    const reader = new ProcFsReader(fake.root, 11);
    expect(reader.all().map((e) => [e.pid, e.ppid, e.auditSession, e.uids?.[0]])).toEqual([
      [10, 1, 7, 1000],
      [11, 10, undefined, 1000],
    ]);
    expect([...protectedPids(reader)].sort()).toEqual([1, 10, 11]);
  });

  it.runIf(process.platform === 'linux')('reads this process from the live /proc, and protects its ancestors', () => {
    const reader = new ProcFsReader();
    const self = reader.read(process.pid);
    expect(self).toMatchObject({
      pid: process.pid,
      ppid: process.ppid,
      uids: [process.getuid?.(), expect.any(Number), expect.any(Number), expect.any(Number)],
    });
    expect(self!.startTicks).toBeGreaterThan(0);
    const guard = protectedPids(reader);
    expect(guard.has(1) && guard.has(process.pid) && guard.has(process.ppid)).toBe(true);
  });
});
