// Over real HTTP on 127.0.0.1.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AgentStatus, RecentEvents } from '@wardwatch/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../logging/logger';
import { MemoryOutbox } from '../outbox/memory-outbox';
import { fileEvent } from '../outbox/test-events.fixture';
import { RecentEvents as RecentBuffer } from '../pipeline/recent-events';
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
  status.collector('files', 'running');
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
  });
  port = await server.start();
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
  it('writes a 64-hex-digit token readable only by its owner, and the port file', () => {
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    expect(statSync(join(dataDir, 'local-api.token')).mode & 0o777).toBe(0o600);
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
    });
    expect(status.headers['access-control-allow-origin']).toBeUndefined();

    const recent = RecentEvents.parse((await get('/v1/events/recent', { ...auth, host: `localhost:${port}` })).body);
    expect(recent.items).toEqual([expect.objectContaining({ id: 'e1', category: 'file', action: 'write' })]);
    expect((await get('/v1/nothing', auth)).status).toBe(404);
  });
});
