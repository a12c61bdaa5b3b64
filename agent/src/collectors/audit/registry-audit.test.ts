// The registry's wiring: one tail of the audit log serves the process collector
// (short-lived executions), the file collector (actors) and the read collector
// (patient files read), and the agent says once which source each has.
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Event } from '@wardwatch/proto';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/load-config';
import { createMemoryLogger } from '../../logging/logger';
import { ComponentHealthRegistry, type HealthReporter } from '../../status/component-health';
import type { Collector } from '../collector';
import { RecordingSink } from '../collector-test-sink.fixture';
import { createCollectors, defaultCollectorHost } from '../registry';
import { MacosReadCollector } from '../reads/macos-read-collector';
import { WindowsReadCollector } from '../reads/windows-read-collector';

let running: Collector[] = [];
let dir = '';
afterEach(async () => {
  for (const c of running) await c.stop();
  running = [];
  rmSync(dir, { recursive: true, force: true });
});

function build(
  auditLog: string,
  health?: HealthReporter,
  host = defaultCollectorHost(),
  watch = 'watch: { folders: [{ path: records, class: phi }] }',
) {
  dir = mkdtempSync(join(tmpdir(), 'ww-registry-audit-'));
  mkdirSync(join(dir, 'records'));
  if (auditLog !== 'false') writeFileSync(join(dir, auditLog), '');
  const config = join(dir, 'agent.yaml');
  writeFileSync(
    config,
    [
      `manager: { address: "127.0.0.1:1", caFingerprint: "sha256:${'ab'.repeat(32)}" }`,
      'dataDir: data',
      watch,
      'logins: { source: none, sessions: { enabled: false } }',
      `processes: { pollMs: 100, auditLog: ${auditLog} }`,
      'devices: { enabled: false }',
      'network: { enabled: false }',
      '',
    ].join('\n'),
  );
  const logger = createMemoryLogger();
  const collectors = createCollectors(loadConfig(config), logger, host, undefined, undefined, health);
  return { logger, collectors, records: join(dir, 'records'), log: join(dir, auditLog) };
}

describe.runIf(process.platform === 'linux')(
  'registry: audit log shared by processes and files',
  { timeout: 15_000 },
  () => {
    it('opens the audit log once and feeds both collectors from it', async () => {
      const { logger, collectors, records, log } = build('audit.log');
      const sink = new RecordingSink();
      running = collectors;
      for (const c of collectors) await c.start(sink);
      expect(logger.lines.filter((l) => String(l.msg).startsWith('file actor source'))).toEqual([
        expect.objectContaining({ msg: 'file actor source: audit', collector: 'files' }),
      ]);
      const opened = readdirSync('/proc/self/fd').filter((fd) => {
        try {
          return readlinkSync(`/proc/self/fd/${fd}`) === log;
        } catch {
          return false;
        }
      });
      expect(opened).toHaveLength(1);

      const path = join(records, 'scan.pdf');
      const pid = spawnSync('/usr/bin/cp', ['/etc/hostname', path]).pid;
      const t = (Date.now() / 1000).toFixed(3);
      appendFileSync(
        log,
        [
          `type=SYSCALL msg=audit(${t}:7001): arch=c000003e syscall=257 success=yes exit=3 a0=ffffff9c a1=1 a2=241 a3=1b6 items=2 ppid=${process.pid} pid=${pid} auid=0 uid=0 comm="cp" exe="/usr/bin/cp" key="wardwatch-phi"`,
          `type=CWD msg=audit(${t}:7001): cwd="${records}"`,
          `type=PATH msg=audit(${t}:7001): item=0 name="${records}" inode=1 dev=fe:00 mode=040755 ouid=0 ogid=0 rdev=00:00 nametype=PARENT`,
          `type=PATH msg=audit(${t}:7001): item=1 name="scan.pdf" inode=2 dev=fe:00 mode=0100644 ouid=0 ogid=0 rdev=00:00 nametype=CREATE`,
          `type=SYSCALL msg=audit(${t}:7002): arch=c000003e syscall=59 success=yes exit=0 a0=1 a1=2 a2=3 a3=0 items=2 ppid=${process.pid} pid=4194001 auid=0 uid=0 comm="true" exe="/usr/bin/true" key="exec"`,
          `type=EXECVE msg=audit(${t}:7002): argc=1 a0="true"`,
          `type=SYSCALL msg=audit(${t}:7003): arch=c000003e syscall=257 success=yes exit=3 a0=ffffff9c a1=1 a2=0 a3=0 items=1 ppid=${process.pid} pid=4194002 auid=0 uid=0 comm="cat" exe="/usr/bin/cat" key="wardwatch-phi-read"`,
          `type=PATH msg=audit(${t}:7003): item=0 name="${path}" inode=2 dev=fe:00 mode=0100644 ouid=0 ogid=0 rdev=00:00 nametype=NORMAL`,
          '',
        ].join('\n'),
      );
      const file = await sink.waitFor(
        (s) => s.events.find((e: Event) => e.detail?.$case === 'file' && e.detail.value.action === 'create'),
        'the file event',
      );
      expect(file.detail).toMatchObject({ value: { path, process: '/usr/bin/cp' } });
      await sink.waitFor(
        (s) => s.events.find((e: Event) => e.detail?.$case === 'process' && e.detail.value.pid === 4194001),
        'the short-lived execution',
      );
      const read = await sink.waitFor(
        (s) => s.events.find((e: Event) => e.detail?.$case === 'file' && e.detail.value.action === 'read'),
        'the read',
      );
      expect(read).toMatchObject({ user: 'root', detail: { value: { path, process: '/usr/bin/cat' } } });
      expect(logger.lines.filter((l) => String(l.msg).startsWith('read source')).map((l) => l.msg)).toEqual([
        'read source: audit',
      ]);
    });

    it('says when there is no file actor source, and that reads are not audited, as a component too', () => {
      const health = new ComponentHealthRegistry(() => 1_000);
      const { logger } = build('false', health);
      expect(logger.lines.filter((l) => String(l.msg).startsWith('file actor source')).map((l) => l.msg)).toEqual([
        'file actor source: none: audit log off in the config',
      ]);
      expect(logger.lines.filter((l) => String(l.msg).startsWith('read source')).map((l) => l.msg)).toEqual([
        'read source: none: audit log off in the config',
      ]);
      expect(health.list()).toEqual([
        { name: 'collector.reads', state: 'stopped', message: 'audit log off in the config', sinceMs: 1_000 },
      ]);
    });
  },
);

describe('registry: the read source on Windows', () => {
  const windows = { ...defaultCollectorHost(), platform: 'win32' as const };

  it('reads the Security log where reads are on and patient data is watched', () => {
    const health = new ComponentHealthRegistry(() => 1_000);
    const { logger, collectors } = build('false', health, windows);
    expect(collectors.find((c) => c.name === 'reads')).toBeInstanceOf(WindowsReadCollector);
    expect(logger.lines.filter((l) => String(l.msg).startsWith('read source')).map((l) => l.msg)).toEqual([
      'read source: security log',
    ]);
    expect(health.list()).toEqual([]);
  });

  it('says why not where reads are off', () => {
    const health = new ComponentHealthRegistry(() => 1_000);
    const { collectors } = build(
      'false',
      health,
      windows,
      'watch: { folders: [{ path: records, class: phi }], reads: { enabled: false } }',
    );
    expect(collectors.find((c) => c.name === 'reads')).toBeUndefined();
    expect(health.list()).toEqual([
      { name: 'collector.reads', state: 'stopped', message: 'reads off in the config', sinceMs: 1_000 },
    ]);
  });
});

describe('registry: the read source on macOS', () => {
  const mac = (eslogger: boolean) => ({
    ...defaultCollectorHost(),
    platform: 'darwin' as const,
    spawner: {
      platform: 'darwin' as const,
      commandExists: (command: string) => eslogger && command === 'eslogger',
      spawn: () => {
        throw new Error('not started in this test');
      },
    },
  });

  it('follows eslogger where it is, and says why not where it is not', () => {
    const { logger, collectors } = build('false', undefined, mac(true));
    expect(collectors.find((c) => c.name === 'reads')).toBeInstanceOf(MacosReadCollector);
    expect(logger.lines.filter((l) => String(l.msg).startsWith('read source')).map((l) => l.msg)).toEqual([
      'read source: eslogger',
    ]);
    const health = new ComponentHealthRegistry(() => 1_000);
    const without = build('false', health, mac(false));
    expect(without.collectors.find((c) => c.name === 'reads')).toBeUndefined();
    expect(health.list()).toEqual([
      { name: 'collector.reads', state: 'stopped', message: 'eslogger not found (macOS 13 or later)', sinceMs: 1_000 },
    ]);
  });
});
