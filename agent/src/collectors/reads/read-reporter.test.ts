// What the reporter makes of reads from any source: a folder listed is no read,
// executables compared without case where the source's OS has none, the limit.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PathClassifier } from '../../paths/path-classifier';
import { RecordingSink } from '../collector-test-sink.fixture';
import { ReadReporter, type ReadAttempt } from './read-reporter';
import { isFolderNow } from './windows-read-collector';

let root = '';
afterEach(() => rmSync(root, { recursive: true, force: true }));

const attempt = (path: string, change: Partial<ReadAttempt> = {}): ReadAttempt => ({
  path,
  timeMs: 1_000,
  process: '/usr/bin/evince',
  pid: 4242,
  user: 'nurse.ana',
  owner: '',
  ...change,
});

describe('ReadReporter', () => {
  it('leaves out a folder listed where the source cannot tell it from a file read', () => {
    root = mkdtempSync(join(tmpdir(), 'ww-reporter-'));
    const phi = join(root, 'phi');
    mkdirSync(join(phi, 'bed3'), { recursive: true });
    writeFileSync(join(phi, 'bed3', 'chart.pdf'), 'x');
    const reporter = new ReadReporter({
      classify: new PathClassifier([{ path: phi, class: 'phi' }]),
      windowMs: 60_000,
      maxPerMinute: 10,
      ignoreExecutables: [],
      isFolder: isFolderNow,
    });
    const sink = new RecordingSink();
    reporter.report(attempt(join(phi, 'bed3')), sink);
    reporter.report(attempt(join(phi, 'bed3', 'chart.pdf')), sink);
    expect(sink.events.map((e) => e.detail?.value && 'path' in e.detail.value && e.detail.value.path)).toEqual([
      join(phi, 'bed3', 'chart.pdf'),
    ]);
    expect(reporter.stats.seen).toBe(1);
  });

  it('compares executables without case only where told, and holds the minute limit', () => {
    const options = {
      classify: new PathClassifier([{ path: 'D:\\PHI', class: 'phi' }]),
      windowMs: 60_000,
      maxPerMinute: 2,
      ignoreExecutables: ['C:\\Windows\\System32\\SearchProtocolHost.exe'],
    };
    const indexer = { process: 'c:\\windows\\system32\\searchprotocolhost.EXE' };
    const folded = new ReadReporter({ ...options, foldCase: true });
    const exact = new ReadReporter(options);
    const sink = new RecordingSink();
    folded.report(attempt('D:\\PHI\\1\\a.pdf', indexer), sink);
    exact.report(attempt('D:\\PHI\\1\\a.pdf', indexer), sink);
    expect([folded.stats.ignoredExecutable, exact.stats.reported]).toEqual([1, 1]);
    for (const name of ['b', 'c', 'd']) exact.report(attempt(`D:\\PHI\\1\\${name}.pdf`), sink);
    expect(exact.stats).toMatchObject({ reported: 2, overLimit: 2 });
    expect(sink.overLimits).toHaveLength(2);
  });
});
