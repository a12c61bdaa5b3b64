import type { Systeminformation } from 'systeminformation';
import { describe, expect, it } from 'vitest';
import { systemClock } from '../clock';
import { createResponseActions } from '../create-response-actions';
import { MAX_DIAGNOSTICS_BYTES } from '../diagnostics-snapshot';
import { collectPortableDiagnostics, type DiagnosticsSource, systemDiagnostics } from './collect-diagnostics';

const process_ = (pid: number, cpu: number, memRss: number): Systeminformation.ProcessesProcessData => ({
  pid,
  parentPid: 1,
  name: `proc${pid}.exe`,
  cpu,
  cpuu: 0,
  cpus: 0,
  mem: 0,
  priority: 8,
  memVsz: 0,
  memRss,
  nice: 0,
  started: '2026-12-06 09:00:00',
  state: 'running',
  tty: '',
  user: 'HOSP\\nurse.ana',
  command: 'AcroRd32.exe',
  params: 'D:\\PHI\\icu\\3\\chart1.pdf',
  path: 'C:\\Program Files\\Adobe',
});
const user = (tty: string): Systeminformation.UserData => ({
  user: 'nurse.ana',
  tty,
  date: '2026-12-06',
  time: '07:01',
  ip: '10.0.0.7',
  command: '',
});
const fs = (mount: string, rw: boolean | null): Systeminformation.FsSizeData => ({
  fs: mount,
  type: 'NTFS',
  size: 1,
  used: 0,
  available: 1,
  use: 0,
  mount,
  rw,
});

function fakeSource(parts: Partial<DiagnosticsSource> = {}): DiagnosticsSource & { calls: number } {
  const source = {
    calls: 0,
    processes: () => {
      source.calls += 1;
      return Promise.resolve(Array.from({ length: 40 }, (_, i) => process_(100 + i, i % 7, 1000 * ((i * 13) % 40))));
    },
    users: () => Promise.resolve([user('console'), user('rdp-tcp#3'), user('\u001b[2Jx')]),
    fileSystems: () => Promise.resolve([fs('C:', true), fs('E:', true), fs('F:', false)]),
    blockDevices: () => Promise.resolve([{ mount: 'E:', removable: true } as Systeminformation.BlockDevicesData]),
    ...parts,
  };
  return source;
}

describe('collectDiagnostics on Windows and macOS (systeminformation)', () => {
  it('takes the top processes, sessions and file systems without names, command lines or addresses', async () => {
    for (const platform of ['win32', 'darwin'] as const) {
      const actions = createResponseActions({ platform, diagnostics: fakeSource(), agentStartedAtMs: 0 });
      const outcome = await actions.collectDiagnostics({ dryRun: false });
      expect(outcome.ok).toBe(true);
      expect(outcome.message).toBe('diagnostics: 40 processes, 2 sessions, 3 mounts');
      const d = outcome.details.diagnostics as Record<string, unknown>;
      const byCpu = d.topByCpu as { pid: number; cpuPercent: number }[];
      expect(byCpu).toHaveLength(15);
      expect(byCpu[0]).toEqual({ pid: 106, name: 'proc106.exe', cpuPercent: 6, rssMb: 37.1 });
      expect((d.topByRss as { rssMb: number }[]).map((r) => r.rssMb)).toEqual(
        [...(d.topByRss as { rssMb: number }[]).map((r) => r.rssMb)].sort((a, b) => b - a),
      );
      expect(d.sessions).toEqual([
        { id: 'console', uid: null, tty: 'console', since: '2026-12-06 07:01' },
        { id: 'rdp-tcp#3', uid: null, tty: 'rdp-tcp#3', since: '2026-12-06 07:01' },
      ]);
      expect(d.mounts).toEqual([
        { mountPoint: 'C:', fsType: 'NTFS', readOnly: false, removable: false },
        { mountPoint: 'E:', fsType: 'NTFS', readOnly: false, removable: true },
        { mountPoint: 'F:', fsType: 'NTFS', readOnly: true, removable: false },
      ]);
      expect(d.unavailable).toEqual([]);
      const json = JSON.stringify(outcome);
      for (const secret of ['nurse.ana', 'PHI', 'AcroRd32', '10.0.0.7']) expect(json).not.toContain(secret);
    }
  });

  it('names the parts the OS did not answer and keeps the rest; stays under 64 KB', async () => {
    const broken = fakeSource({
      users: () => Promise.reject(new Error('WMI is not running')),
      fileSystems: () =>
        Promise.resolve(Array.from({ length: 5000 }, (_, i) => fs(`\\\\?\\Volume{${'x'.repeat(40)}-${i}}\\`, true))),
    });
    const outcome = await createResponseActions({ platform: 'win32', diagnostics: broken }).collectDiagnostics({
      dryRun: false,
    });
    expect(outcome.ok).toBe(true);
    const d = outcome.details.diagnostics as Record<string, unknown>;
    expect(d.unavailable).toEqual(['sessions']);
    expect(d.processCount).toBe(40);
    expect(outcome.details.truncated).toBe(true);
    expect(Buffer.byteLength(JSON.stringify(d))).toBeLessThanOrEqual(MAX_DIAGNOSTICS_BYTES);
  });

  it('dry run reads nothing', async () => {
    const source = fakeSource();
    const outcome = await createResponseActions({ platform: 'darwin', diagnostics: source }).collectDiagnostics({
      dryRun: true,
    });
    expect(outcome.details.dryRun).toBe(true);
    expect(source.calls).toBe(0);
  });

  it('reads this machine through systeminformation for real', async () => {
    const started = Date.now() - 5_000;
    const outcome = await collectPortableDiagnostics(
      { source: systemDiagnostics, clock: systemClock, agentStartedAtMs: started },
      { dryRun: false },
    );
    expect(outcome.ok).toBe(true);
    const d = outcome.details.diagnostics as Record<string, unknown>;
    expect(d.processCount).toBeGreaterThan(1);
    expect((d.topByRss as object[]).length).toBeGreaterThan(0);
    expect(Object.keys((d.topByRss as object[])[0]).sort()).toEqual(['cpuPercent', 'name', 'pid', 'rssMb']);
    expect(d.agentUptimeSeconds).toBeGreaterThanOrEqual(5);
    expect(d.unavailable).not.toContain('processes');
  }, 30_000);
});
