// The agent's runtime in this process (run-agent.ts as the CLI runs it) against a small
// real gRPC manager: a local API port held by another process costs the tray its API
// for a while, never the collectors; and port 0 takes any free port and names it.
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AgentStatus } from '@wardwatch/shared';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load-config';
import { pemFingerprint } from '../enrollment/fetch-ca';
import { createTestPki, type TestPki } from '../enrollment/test-pki.fixture';
import { createMemoryLogger } from '../logging/logger';
import { GOOD_TOKEN, TestManager } from '../transport/test-manager.fixture';
import { runAgent } from './run-agent';

let pki: TestPki;
let manager: TestManager;
let root: string;
const running: { stop: AbortController; done: Promise<void> }[] = [];

beforeAll(async () => {
  pki = await createTestPki();
  manager = new TestManager(pki);
  await manager.listen();
  root = mkdtempSync(join(tmpdir(), 'ww-runtime-port-'));
});
afterEach(async () => {
  for (const agent of running.splice(0)) {
    agent.stop.abort();
    await agent.done;
  }
});
afterAll(async () => {
  await manager?.stop();
  rmSync(root, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(what: string, probe: () => T | undefined | null | false, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

/** Starts the runtime on a config with one watched phi folder and nothing else collected. */
function startRuntime(name: string, localApiPort: number) {
  const dir = join(root, name);
  const phi = join(dir, 'records');
  mkdirSync(phi, { recursive: true });
  const configPath = join(dir, 'agent.yaml');
  writeFileSync(
    configPath,
    JSON.stringify({
      manager: { address: `127.0.0.1:${manager.port}`, caFingerprint: pemFingerprint(pki.caPem) },
      enrollment: { token: GOOD_TOKEN },
      dataDir: join(dir, 'data'),
      watch: { folders: [{ path: phi, class: 'phi' }] },
      logins: { source: 'none', sessions: { enabled: false } },
      processes: { enabled: false },
      devices: { enabled: false },
      network: { enabled: false },
      scoring: { enabled: false },
      localApi: { port: localApiPort },
      heartbeatSeconds: 1,
    }),
  );
  const logger = createMemoryLogger();
  const stop = new AbortController();
  const done = runAgent(loadConfig(configPath), logger, stop.signal);
  running.push({ stop, done });
  return { dataDir: join(dir, 'data'), phi, logger, done };
}

async function getStatus(dataDir: string, port: number): Promise<AgentStatus> {
  const token = readFileSync(join(dataDir, 'local-api.token'), 'utf8').trim();
  const response = await fetch(`http://127.0.0.1:${port}/v1/status`, { headers: { authorization: `Bearer ${token}` } });
  expect(response.status).toBe(200);
  return AgentStatus.parse(await response.json());
}

const fileEventsFromManager = () =>
  manager.received.flatMap((m) =>
    m.body?.$case === 'events' ? m.body.value.events.filter((e) => e.detail?.$case === 'file') : [],
  );

describe('runtime with the local API port held by another process', { timeout: 60_000 }, () => {
  it('collects and sends events while the port is held, and serves the local API once it frees', async () => {
    const holder: Server = createServer((_req, res) => res.end('someone else'));
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const held = (holder.address() as AddressInfo).port;
    const agent = startRuntime('held', held);

    const ready = await until('agent ready', () => agent.logger.lines.find((l) => l.msg === 'agent ready'));
    expect(ready.localApiPort).toBeNull();
    const failure = agent.logger.lines.find((l) => l.msg === 'local api cannot listen, retrying; collectors go on');
    expect(String(failure?.reason)).toContain('EADDRINUSE');
    expect(agent.logger.lines.some((l) => l.msg === 'agent failed')).toBe(false);
    // The manager hears of it from the heartbeat, beside the collector that runs.
    const heartbeat = await until('a heartbeat naming the local API failed', () =>
      manager.received
        .flatMap((m) => (m.body?.$case === 'heartbeat' ? [m.body.value] : []))
        .find((h) => h.components.some((c) => c.name === 'local-api' && c.state === 'failed')),
    );
    expect(heartbeat.components.find((c) => c.name === 'local-api')?.message).toContain('EADDRINUSE');
    expect(heartbeat.components).toContainEqual(expect.objectContaining({ name: 'collector.files', state: 'running' }));

    const before = fileEventsFromManager().length;
    writeFileSync(join(agent.phi, 'ward-round.txt'), 'x'.repeat(512));
    await until('a file event at the manager', () => fileEventsFromManager().length > before);

    await new Promise((resolve) => holder.close(resolve));
    const listening = await until('local api listening', () =>
      agent.logger.lines.find((l) => l.msg === 'local api listening'),
    );
    expect(listening.localApiPort).toBe(held);
    expect(JSON.parse(readFileSync(join(agent.dataDir, 'local-api.json'), 'utf8'))).toEqual({ port: held });
    const status = await getStatus(agent.dataDir, held);
    expect(status.counts.collected).toBeGreaterThanOrEqual(1);
    expect(status.components).toContainEqual(expect.objectContaining({ name: 'local-api', state: 'running' }));
    const failures = agent.logger.lines.filter((l) => l.msg === 'local api cannot listen, retrying; collectors go on');
    expect(failures).toHaveLength(1);
  });

  it('takes any free port with port 0 and names it in the log and the port file', async () => {
    const agent = startRuntime('any-port', 0);
    const ready = await until('agent ready', () => agent.logger.lines.find((l) => l.msg === 'agent ready'));
    const port = Number(ready.localApiPort);
    expect(port).toBeGreaterThan(0);
    expect(JSON.parse(readFileSync(join(agent.dataDir, 'local-api.json'), 'utf8'))).toEqual({ port });
    await getStatus(agent.dataDir, port);
  });
});

describe('runtime data folder', { timeout: 60_000 }, () => {
  it('after a real start, the folder is 0700 and every file in it 0600, a looser old install included', async () => {
    const dataDir = join(root, 'modes', 'data');
    mkdirSync(dataDir, { recursive: true });
    chmodSync(dataDir, 0o755);
    writeFileSync(join(dataDir, 'local-api.token'), 'old\n', { mode: 0o644 });
    const agent = startRuntime('modes', 0);
    await until('agent ready', () => agent.logger.lines.find((l) => l.msg === 'agent ready'));
    const mode = (name: string) => statSync(join(dataDir, name)).mode & 0o777;
    expect(mode('.')).toBe(0o700);
    const files = [
      'agent-key.pem',
      'agent-cert.pem',
      'ca-cert.pem',
      'pseudonym.key',
      'identity.json',
      'local-api.token',
      'local-api.json',
    ];
    for (const file of files) expect({ file, mode: mode(file) }).toEqual({ file, mode: 0o600 });
    const tightened = agent.logger.lines.find((l) => l.msg === 'data folder modes tightened to owner only');
    expect(tightened?.paths).toEqual(['.', 'local-api.token']);
  });
});
