import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createResponseActions } from '../create-response-actions';
import { RecordingRunner } from '../recording-runner.fixture';
import { MAX_DIAGNOSTICS_BYTES } from '../diagnostics-snapshot';
import { parseWho } from './collect-diagnostics';

describe.runIf(process.platform === 'linux')('collectDiagnostics', () => {
  it('takes a bounded snapshot of this machine', async () => {
    const outcome = await createResponseActions({ platform: 'linux' }).collectDiagnostics({ dryRun: false });
    expect(outcome.ok).toBe(true);
    const d = outcome.details.diagnostics as Record<string, unknown>;
    expect(d.processCount).toBeGreaterThan(1);
    expect((d.topByRss as { pid: number }[]).length).toBeGreaterThan(0);
    expect(['logind', 'utmp', 'none']).toContain(d.sessionSource);
    expect(d.mounts).toEqual(expect.arrayContaining([expect.objectContaining({ mountPoint: '/' })]));
    expect(Buffer.byteLength(JSON.stringify(d))).toBeLessThanOrEqual(MAX_DIAGNOSTICS_BYTES);
  });

  it('stays under 64 KB with thousands of mounts, and says it cut', async () => {
    const mountinfo = join(tmpdir(), `ww-mountinfo-${process.pid}`);
    writeFileSync(
      mountinfo,
      Array.from(
        { length: 5000 },
        (_, i) => `${i + 100} 1 8:${i} / /media/stick-${'x'.repeat(40)}-${i} rw - vfat /dev/sdb${i} rw`,
      ).join('\n'),
    );
    const runner = new RecordingRunner(() => ({ code: 1 }));
    const outcome = await createResponseActions({
      platform: 'linux',
      mountinfoPath: mountinfo,
      runner,
    }).collectDiagnostics({ dryRun: false });
    rmSync(mountinfo);
    expect(outcome.details.truncated).toBe(true);
    expect(Buffer.byteLength(JSON.stringify(outcome.details.diagnostics))).toBeLessThanOrEqual(MAX_DIAGNOSTICS_BYTES);
  });

  it('dry run reads nothing', async () => {
    const runner = new RecordingRunner();
    const outcome = await createResponseActions({ platform: 'linux', runner }).collectDiagnostics({ dryRun: true });
    expect(outcome.details.dryRun).toBe(true);
    expect(runner.calls).toEqual([]);
  });
});

describe('parseWho', () => {
  it('keeps tty and time, turns names into uids, drops the remote address', () => {
    const rows = parseWho(
      'nurse    pts/0        2026-12-02 05:00 (10.0.0.7)\nroot     tty1         2026-12-01 22:10\n',
      (n) => (n === 'nurse' ? 1001 : 0),
    );
    expect(rows).toEqual([
      { id: 'pts/0', uid: 1001, tty: 'pts/0', since: '2026-12-02 05:00' },
      { id: 'tty1', uid: 0, tty: 'tty1', since: '2026-12-01 22:10' },
    ]);
    expect(JSON.stringify(rows)).not.toContain('10.0.0.7');
  });
});
