// The collectors as the agent builds them from a real config file, started
// together on this machine: what a workstation does shows up as events.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Event } from '@wardwatch/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load-config';
import { createMemoryLogger } from '../logging/logger';
import type { Collector } from './collector';
import { RecordingSink } from './collector-test-sink.fixture';
import { createCollectors, defaultCollectorHost } from './registry';

const processEvent = (pid: number, action: string) => (e: Event) => e.detail?.$case === 'process' && e.detail.value.pid === pid && e.detail.value.action === action;

describe.runIf(process.platform === 'linux')('collectors from the registry (live)', () => {
  let dir: string;
  let collectors: Collector[];
  const sink = new RecordingSink();
  const logger = createMemoryLogger();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ww-registry-'));
    writeFileSync(join(dir, 'auth.log'), '');
    const config = join(dir, 'agent.yaml');
    writeFileSync(config, [
      `manager: { address: "127.0.0.1:1", caFingerprint: "sha256:${'ab'.repeat(32)}" }`,
      'dataDir: data',
      'logins: { authLog: auth.log, sessions: { pollSeconds: 1 } }',
      'processes: { pollMs: 200, auditLog: false }',
      '',
    ].join('\n'));
    collectors = createCollectors(loadConfig(config), logger, defaultCollectorHost());
    for (const c of collectors) await c.start(sink);
  });
  afterAll(async () => {
    for (const c of collectors ?? []) await c.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('registers the login and process collectors, and says which login source it chose', () => {
    expect(collectors.map((c) => c.name)).toEqual(expect.arrayContaining(['logins', 'processes']));
    expect(logger.lines.find((l) => l.msg === 'login source chosen')).toMatchObject({ source: 'authlog', sessions: true });
  });

  it('sees a real process start and stop', async () => {
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    const start = await sink.waitFor((s) => s.events.find(processEvent(child.pid!, 'start')), 'the start of sleep');
    expect(start.detail).toMatchObject({ value: { executable: '/usr/bin/sleep', commandLine: 'sleep 30', ppid: process.pid } });
    child.kill();
    await sink.waitFor((s) => s.events.find(processEvent(child.pid!, 'stop')), 'the stop of sleep');
  });
});
