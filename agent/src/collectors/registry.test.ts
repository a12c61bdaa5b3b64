// The collectors as the agent builds them from a real config file, started
// together on this machine: what a workstation does shows up as events.
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Event } from '@wardwatch/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load-config';
import { createMemoryLogger } from '../logging/logger';
import type { Collector } from './collector';
import { RecordingSink } from './collector-test-sink.fixture';
import { createCollectors, defaultCollectorHost } from './registry';

const processEvent = (pid: number, action: string) => (e: Event) =>
  e.detail?.$case === 'process' && e.detail.value.pid === pid && e.detail.value.action === action;

describe.runIf(process.platform === 'linux')('collectors from the registry (live)', () => {
  let dir: string;
  let collectors: Collector[];
  const sink = new RecordingSink();
  const logger = createMemoryLogger();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ww-registry-'));
    writeFileSync(join(dir, 'auth.log'), '');
    const config = join(dir, 'agent.yaml');
    writeFileSync(
      config,
      [
        `manager: { address: "127.0.0.1:1", caFingerprint: "sha256:${'ab'.repeat(32)}" }`,
        'dataDir: data',
        'logins: { authLog: auth.log, sessions: { pollSeconds: 1 } }',
        'processes: { pollMs: 200, auditLog: false }',
        'devices: { pollMs: 200 }',
        '',
      ].join('\n'),
    );
    // The one injected decision: a mount inside this test's folder counts as removable media.
    collectors = createCollectors(loadConfig(config), logger, {
      ...defaultCollectorHost(),
      isRemovable: (mount) => mount.mountPoint.startsWith(`${dir}/`),
    });
    for (const c of collectors) await c.start(sink);
  });
  afterAll(async () => {
    for (const c of collectors ?? []) await c.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('registers the collectors, and says which login source it chose', () => {
    expect(collectors.map((c) => c.name)).toEqual(['files', 'logins', 'processes', 'devices', 'network']);
    expect(logger.lines.find((l) => l.msg === 'login source chosen')).toMatchObject({
      source: 'authlog',
      sessions: true,
    });
  });

  it('sees a real process start and stop', async () => {
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    const start = await sink.waitFor((s) => s.events.find(processEvent(child.pid!, 'start')), 'the start of sleep');
    expect(start.detail).toMatchObject({
      value: { executable: '/usr/bin/sleep', commandLine: 'sleep 30', ppid: process.pid },
    });
    child.kill();
    await sink.waitFor((s) => s.events.find(processEvent(child.pid!, 'stop')), 'the stop of sleep');
  });
});

const canMount = process.platform === 'linux' && process.getuid?.() === 0;

describe.runIf(canMount)('a removable volume (live mount)', () => {
  it('is reported when mounted, its new files are file events of class removable, what it held is not', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ww-removable-'));
    const volume = join(dir, 'stick');
    mkdirSync(volume);
    const config = join(dir, 'agent.yaml');
    writeFileSync(
      config,
      [
        `manager: { address: "127.0.0.1:1", caFingerprint: "sha256:${'ab'.repeat(32)}" }`,
        'dataDir: data',
        'logins: { source: none, sessions: { enabled: false } }',
        'processes: { enabled: false }',
        'network: { enabled: false }',
        'devices: { pollMs: 100 }',
        '',
      ].join('\n'),
    );
    const sink = new RecordingSink();
    const collectors = createCollectors(loadConfig(config), createMemoryLogger(), {
      ...defaultCollectorHost(),
      isRemovable: (mount) => mount.mountPoint === volume,
    });
    let mounted = false;
    try {
      for (const c of collectors) await c.start(sink);
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'wwstick', volume]);
      mounted = true;
      writeFileSync(join(volume, 'already-there.txt'), 'on the stick before the agent looked');
      await sink.waitFor(
        (s) =>
          s.events.find(
            (e) =>
              e.detail?.$case === 'device' && e.detail.value.action === 'mount' && e.detail.value.mountPoint === volume,
          ),
        'the mount',
      );
      await new Promise((r) => setTimeout(r, 300)); // the file collector has attached its watch
      writeFileSync(join(volume, 'export.csv'), 'mrn,name\n1,someone\n');
      const file = await sink.waitFor(
        (s) => s.events.find((e) => e.detail?.$case === 'file' && e.detail.value.path === join(volume, 'export.csv')),
        'the file written to the stick',
      );
      expect(file.detail).toMatchObject({
        value: { action: 'create', folderClass: 'removable', extension: '.csv', depth: 1 },
      });
      execFileSync('umount', [volume]);
      mounted = false;
      await sink.waitFor(
        (s) => s.events.find((e) => e.detail?.$case === 'device' && e.detail.value.action === 'unmount'),
        'the unmount',
      );
      await new Promise((r) => setTimeout(r, 500));
      const files = sink.events.filter((e) => e.detail?.$case === 'file');
      expect(
        files.map((e) => (e.detail?.$case === 'file' ? [e.detail.value.action, e.detail.value.path] : [])),
      ).toEqual([['create', join(volume, 'export.csv')]]);
    } finally {
      if (mounted) execFileSync('umount', [volume]);
      for (const c of collectors) await c.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 20_000);

  it("watches the profiles' synced folders for patient data arriving, where a patient-data folder is watched", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ww-sync-'));
    const oneDrive = join(dir, 'home', 'ana', 'OneDrive');
    mkdirSync(oneDrive, { recursive: true });
    mkdirSync(join(dir, 'records'));
    const chart = join(dir, 'records', 'chart-3.pdf');
    writeFileSync(chart, 'a chart '.repeat(2_000));
    const config = join(dir, 'agent.yaml');
    const lines = (folders: string) => [
      `manager: { address: "127.0.0.1:1", caFingerprint: "sha256:${'ab'.repeat(32)}" }`,
      'dataDir: data',
      `watch: { folders: ${folders}, syncFolders: { profileRoots: [home] } }`,
      'logins: { source: none, sessions: { enabled: false } }',
      'processes: { enabled: false }',
      'network: { enabled: false }',
      'devices: { enabled: false }',
      '',
    ];
    writeFileSync(config, lines('[{ path: records, class: phi }]').join('\n'));
    const sink = new RecordingSink();
    const collectors = createCollectors(loadConfig(config), createMemoryLogger());
    try {
      for (const c of collectors) await c.start(sink);
      copyFileSync(chart, join(oneDrive, 'chart-3.pdf'));
      const copy = await sink.waitFor(
        (s) => s.events.find((e) => e.detail?.$case === 'file' && e.detail.value.action === 'copy'),
        'the copy into OneDrive',
      );
      expect(copy.detail).toMatchObject({ value: { path: join(oneDrive, 'chart-3.pdf'), previousPath: chart } });
    } finally {
      for (const c of collectors) await c.stop();
    }
    // Without a patient-data folder there is nothing to copy from: no file collector at all.
    writeFileSync(config, lines('[]').join('\n'));
    expect(createCollectors(loadConfig(config), createMemoryLogger()).map((c) => c.name)).not.toContain('files');
    rmSync(dir, { recursive: true, force: true });
  }, 20_000);
});
