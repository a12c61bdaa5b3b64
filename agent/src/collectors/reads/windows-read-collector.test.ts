// The Windows reads collector through a real child process: the spawner starts
// node printing the lines the Security-log query prints (Windows PowerShell is not
// on this machine), so the real line reader, parser and reporter run on them.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FileActivity } from '@wardwatch/proto';
import { afterEach, describe, expect, it } from 'vitest';
import { PathClassifier } from '../../paths/path-classifier';
import { RecordingSink } from '../collector-test-sink.fixture';
import { PrintingSpawner } from '../printing-spawner.fixture';
import { WindowsReadAuditCheck } from './windows-read-audit';
import { isFolderNow, WindowsReadCollector, WINDOWS_READ_SCRIPT } from './windows-read-collector';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const event = (at: number, data: Record<string, string>) =>
  JSON.stringify({
    id: 4663,
    time: new Date(Date.UTC(2026, 10, 22, 9, 0, at)).toISOString(),
    data: {
      SubjectUserName: 'nurse.ana',
      SubjectDomainName: 'HOSP',
      SubjectLogonId: '0x3c1f2a',
      ObjectType: 'File',
      ObjectName: 'D:\\PHI\\icu\\3\\chart1.pdf',
      AccessMask: '0x1',
      ProcessId: '0x1a2c',
      ProcessName: 'C:\\Program Files\\Adobe\\Acrobat DC\\Acrobat\\Acrobat.exe',
      ...data,
    },
  });

describe('WindowsReadCollector', () => {
  it("reports a person's reads of patient files once per window, counts the rest, says what it cannot parse", async () => {
    const spawner = new PrintingSpawner([
      event(0, {}),
      event(5, {}), // the same chart again within the window
      event(6, {
        ObjectName: 'D:\\PHI\\icu\\3\\chart2.pdf',
        ProcessName: 'C:\\Windows\\System32\\SearchProtocolHost.EXE',
      }),
      event(7, { ObjectName: 'D:\\PHI\\icu\\3\\chart3.pdf', SubjectUserName: 'WS-ICU-07$', SubjectLogonId: '0x3e7' }),
      event(8, { ObjectName: 'D:\\Scans\\letter.pdf' }),
      event(9, { ObjectName: 'D:\\PHI\\onc\\1\\chart4.pdf', SubjectUserName: 'dr.ben', AccessMask: '0x2' }),
      event(10, { ObjectName: 'D:\\PHI\\onc\\1\\chart5.pdf', SubjectUserName: 'dr.ben' }),
      '{"id":4663,',
    ]);
    const collector = new WindowsReadCollector({
      spawner,
      classify: new PathClassifier([{ path: 'D:\\PHI', class: 'phi' }]),
      windowMs: 10 * 60_000,
      maxPerMinute: 100,
      ignoreExecutables: ['c:\\windows\\system32\\searchprotocolhost.exe'],
    });
    const sink = new RecordingSink();
    await collector.start(sink);
    try {
      await sink.waitFor((s) => (s.errors.length > 0 ? true : undefined), 'the broken line');
      await sink.waitFor((s) => (s.events.length === 2 ? true : undefined), 'two reads');
    } finally {
      await collector.stop();
    }
    expect(spawner.asked[0].command).toBe('powershell.exe');
    const encoded = spawner.asked[0].args.at(-1) ?? '';
    expect(Buffer.from(encoded, 'base64').toString('utf16le')).toBe(WINDOWS_READ_SCRIPT);
    expect(WINDOWS_READ_SCRIPT).toContain('$ids = @(4663)');
    const reads = sink.events.map((e) => ({ user: e.user, ...(e.detail?.value as FileActivity) }));
    expect(reads.map((r) => [r.user, r.action, r.path, r.folderClass, r.pid])).toEqual([
      ['nurse.ana', 'read', 'D:\\PHI\\icu\\3\\chart1.pdf', 'phi', 0x1a2c],
      ['dr.ben', 'read', 'D:\\PHI\\onc\\1\\chart5.pdf', 'phi', 0x1a2c],
    ]);
    expect(collector.stats).toEqual({
      seen: 5,
      reported: 2,
      repeated: 1,
      unattended: 1,
      ignoredExecutable: 1,
      overLimit: 0,
    });
    expect(sink.errors).toEqual([{ collector: 'reads', reason: 'Windows event is not valid JSON' }]);
  });

  it('checks the audit policy and the SACLs while it runs, and not once stopped', async () => {
    const states: string[] = [];
    let printed = JSON.stringify({ policy: 0, folders: [] }); // File System auditing off: reads not audited here
    const auditCheck = new WindowsReadAuditCheck({
      folders: ['D:\\PHI'],
      list: () => Promise.resolve(printed),
      health: { report: (_name, state) => states.push(state) },
    });
    const collector = new WindowsReadCollector({
      spawner: new PrintingSpawner([]),
      classify: new PathClassifier([{ path: 'D:\\PHI', class: 'phi' }]),
      windowMs: 60_000,
      maxPerMinute: 10,
      ignoreExecutables: [],
      auditCheck,
    });
    await collector.start(new RecordingSink());
    await new Promise((resolve) => setImmediate(resolve));
    expect(states).toEqual(['stopped']);
    await collector.stop();
    printed = JSON.stringify({ policy: 1, folders: [{ path: 'D:\\PHI', rules: [] }] });
    await auditCheck.check();
    expect(states).toEqual(['stopped']);
  });

  it('tells a folder (listed) from a file (read), and a file gone since from a folder', () => {
    const root = mkdtempSync(join(tmpdir(), 'ww-win-reads-'));
    dirs.push(root);
    mkdirSync(join(root, 'bed3'));
    writeFileSync(join(root, 'chart.pdf'), 'x');
    expect(isFolderNow(join(root, 'bed3'))).toBe(true);
    expect(isFolderNow(join(root, 'chart.pdf'))).toBe(false);
    expect(isFolderNow(join(root, 'gone.pdf'))).toBe(false);
  });
});
