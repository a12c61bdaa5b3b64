// Over real HTTP on 127.0.0.1.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AgentStatus, Backoff, RecentEvents } from '@wardwatch/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../logging/logger';
import { MemoryOutbox } from '../outbox/memory-outbox';
import { fileEvent } from '../outbox/test-events.fixture';
import { RecentEvents as RecentBuffer } from '../pipeline/recent-events';
import { ComponentHealthRegistry } from '../status/component-health';
import { StatusTracker } from '../status/status-tracker';
import { LocalApiServer } from './local-api-server';

let dataDir: string;
let server: LocalApiServer;
let port: number;
let token: string;
let logger: ReturnType<typeof createMemoryLogger>;

beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'ww-localapi-'));
  const outbox = new MemoryOutbox({ capacity: 10 });
  const status = new StatusTracker({
    version: '0.1.0',
    managerAddress: 'mgr:50051',
    outboxStats: () => outbox.stats(),
  });
  status.setAgentId('agent-1');
  status.health.report('collector.files', 'running');
  status.eventCollected();
  outbox.push(fileEvent('e1', 'phi'));
  const recent = new RecentBuffer();
  recent.add(fileEvent('e1', 'phi'));
  logger = createMemoryLogger();
  server = new LocalApiServer({
    dataDir,
    port: 0,
    status: () => status.snapshot(),
    recent: () => recent.list(),
    logger,
    backoff: new Backoff({ baseMs: 10, maxMs: 50 }),
  });
  port = (await server.start()) ?? -1;
  token = readFileSync(join(dataDir, 'local-api.token'), 'utf8').trim();
});
afterEach(async () => {
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

function get(
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: unknown; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, headers: { host: `127.0.0.1:${port}`, ...headers } },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as unknown, headers: res.headers }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('LocalApiServer', () => {
  it('writes a 64-hex-digit token and the port file, both readable only by their owner', () => {
    expect(port).toBeGreaterThan(0);
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    expect(statSync(join(dataDir, 'local-api.token')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dataDir, 'local-api.json')).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(join(dataDir, 'local-api.json'), 'utf8'))).toEqual({ port });
    expect(logger.lines.find((l) => l.msg === 'local api listening')?.localApiPort).toBe(port);
  });

  it('refuses requests without a token or with a wrong one', async () => {
    expect((await get('/v1/status')).status).toBe(401);
    expect((await get('/v1/status', { authorization: `Bearer ${'0'.repeat(64)}` })).status).toBe(401);
    expect((await get('/v1/status', { authorization: token })).status).toBe(401);
  });

  it('refuses a Host header that is not loopback, even with the right token (DNS rebinding)', async () => {
    const response = await get('/v1/status', { authorization: `Bearer ${token}`, host: `evil.example:${port}` });
    expect(response.status).toBe(403);
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers status and recent events in the shared schema', async () => {
    const auth = { authorization: `Bearer ${token}` };
    const status = await get('/v1/status', auth);
    expect(status.status).toBe(200);
    const parsed = AgentStatus.parse(status.body);
    expect(parsed).toMatchObject({
      agentId: 'agent-1',
      counts: { collected: 1, queued: 1 },
      collectors: [{ name: 'files', state: 'running' }],
      components: [{ name: 'collector.files', state: 'running', message: '' }],
    });
    expect(status.headers['access-control-allow-origin']).toBeUndefined();

    const recent = RecentEvents.parse((await get('/v1/events/recent', { ...auth, host: `localhost:${port}` })).body);
    expect(recent.items).toEqual([expect.objectContaining({ id: 'e1', category: 'file', action: 'write' })]);
    expect((await get('/v1/nothing', auth)).status).toBe(404);
  });
});

describe('LocalApiServer on a port another process holds', () => {
  let holder: Server;
  let held: number;
  let other: LocalApiServer | null = null;

  beforeEach(async () => {
    holder = createServer((_req, res) => res.end('not the agent'));
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    held = (holder.address() as AddressInfo).port;
  });
  afterEach(async () => {
    await other?.stop();
    if (holder.listening) await new Promise((resolve) => holder.close(resolve));
  });

  it('says why once, removes a stale port file, keeps trying and listens once the port is free', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ww-localapi-held-'));
    writeFileSync(join(dir, 'local-api.json'), `{"port": ${held}}\n`);
    const log = createMemoryLogger();
    const health = new ComponentHealthRegistry();
    other = new LocalApiServer({
      dataDir: dir,
      port: held,
      status: () => {
        throw new Error('not asked');
      },
      recent: () => [],
      logger: log,
      backoff: new Backoff({ baseMs: 20, maxMs: 40 }),
      health,
    });
    expect(await other.start()).toBeNull();
    // Reported as a failed component with the reason, for the heartbeat and the tray.
    expect(health.failed()).toEqual([
      expect.objectContaining({
        name: 'local-api',
        message: `EADDRINUSE: port ${held} on 127.0.0.1 is held by another process`,
      }),
    ]);
    // The tray must not find the old port (held by someone else) beside the new token.
    expect(existsSync(join(dir, 'local-api.json'))).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const failures = log.lines.filter((l) => l.msg === 'local api cannot listen, retrying; collectors go on');
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ level: 'error', localApiPort: held });
    expect(String(failures[0].reason)).toContain(`EADDRINUSE: port ${held} on 127.0.0.1 is held by another process`);
    expect(other.listeningPort).toBeNull();

    await new Promise((resolve) => holder.close(resolve));
    const deadline = Date.now() + 5_000;
    while (other.listeningPort === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(other.listeningPort).toBe(held);
    expect(JSON.parse(readFileSync(join(dir, 'local-api.json'), 'utf8'))).toEqual({ port: held });
    const listening = log.lines.find((l) => l.msg === 'local api listening');
    expect(Number(listening?.attempts)).toBeGreaterThan(1);
    expect(health.list()).toEqual([expect.objectContaining({ name: 'local-api', state: 'running', message: '' })]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('stops trying when stopped before the port frees', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ww-localapi-stop-'));
    other = new LocalApiServer({
      dataDir: dir,
      port: held,
      status: () => {
        throw new Error('not asked');
      },
      recent: () => [],
      logger: createMemoryLogger(),
      backoff: new Backoff({ baseMs: 20, maxMs: 40 }),
    });
    expect(await other.start()).toBeNull();
    await other.stop();
    await new Promise((resolve) => holder.close(resolve));
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(other.listeningPort).toBeNull();
    expect(existsSync(join(dir, 'local-api.json'))).toBe(false);
    rmSync(dir, { recursive: true, force: true });
  });
});
