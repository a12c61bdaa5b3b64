// Against a real node:http server on 127.0.0.1 that demands the bearer token,
// with real token and port files in a temporary data folder.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgentStatus } from '@wardwatch/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalApiClient } from './local-api-client';
import { LocalApiError } from './local-api-error';
import { nodeFileReader } from './node-file-reader';

const TOKEN = 'a1'.repeat(32);
const status: AgentStatus = {
  agentId: 'agent-7',
  version: '0.1.0',
  manager: { address: 'mgr.local:50051', connected: true, lastConnectedAt: 1_700_000_000_000, lastError: null },
  lastEventAt: 1_700_000_100_000,
  counts: { collected: 12, sent: 10, queued: 2, dropped: 0 },
  collectors: [{ name: 'files', state: 'running', error: null }],
  startedAt: 1_699_999_000_000,
};

let dataDir: string;
let server: Server;
let seen: IncomingMessage[];
let answer: (req: IncomingMessage, res: ServerResponse) => void;

beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'ww-tray-client-'));
  seen = [];
  answer = (_req, res) => res.end(JSON.stringify(status));
  server = createServer((req, res) => {
    seen.push(req);
    if (req.headers.authorization !== `Bearer ${TOKEN}`) {
      res.statusCode = 401;
      return res.end('{"error":"unauthorized"}');
    }
    answer(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  writeFileSync(join(dataDir, 'local-api.json'), JSON.stringify({ port: (server.address() as AddressInfo).port }));
  writeFileSync(join(dataDir, 'local-api.token'), `${TOKEN}\n`, { mode: 0o600 });
});

afterEach(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dataDir, { recursive: true, force: true });
});

function sut(timeoutMs = 2_000, files = nodeFileReader): LocalApiClient {
  return new LocalApiClient({ agentDataDir: dataDir, timeoutMs, files });
}

async function failure(promise: Promise<unknown>): Promise<LocalApiError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LocalApiError);
  return error as LocalApiError;
}

describe('LocalApiClient', () => {
  it('reads the status with the bearer token and a loopback Host header', async () => {
    expect(await sut().getStatus()).toEqual(status);
    expect(seen[0].url).toBe('/v1/status');
    expect(seen[0].headers.host).toBe(`127.0.0.1:${(server.address() as AddressInfo).port}`);
  });

  it('reads recent events', async () => {
    const items = [{ id: 'e1', timeMs: 5, category: 'file', action: 'write', summary: 'x' }];
    answer = (req, res) => res.end(JSON.stringify(req.url === '/v1/events/recent' ? { items } : {}));
    expect(await sut().getRecentEvents()).toEqual({ items });
  });

  it('says the agent refused the token when the token is wrong', async () => {
    writeFileSync(join(dataDir, 'local-api.token'), 'b2'.repeat(32));
    const error = await failure(sut().getStatus());
    expect(error.code).toBe('unauthorized');
    expect(error.message).toContain('refused');
  });

  it('says the answer is not JSON', async () => {
    answer = (_req, res) => res.end('{"agentId": "a", ');
    const error = await failure(sut().getStatus());
    expect(error).toMatchObject({
      code: 'bad-response',
      message: "the agent's answer to /v1/status is not valid JSON",
    });
  });

  it('names the field when the answer has the wrong shape', async () => {
    answer = (_req, res) => res.end(JSON.stringify({ ...status, counts: { ...status.counts, sent: -1 } }));
    const error = await failure(sut().getStatus());
    expect(error.code).toBe('bad-response');
    expect(error.message).toContain('counts.sent');
  });

  it('gives up after the timeout when the agent never answers', async () => {
    answer = () => undefined; // holds the request open
    const started = Date.now();
    const error = await failure(sut(300).getStatus());
    expect(error).toMatchObject({ code: 'timeout', message: 'the agent did not answer /v1/status within 300 ms' });
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('times out a body that starts but never ends', async () => {
    answer = (_req, res) => res.write('{"agentId":');
    expect((await failure(sut(300).getStatus())).code).toBe('timeout');
  });

  it('says the agent is unreachable when nothing listens on the port', async () => {
    const port = (server.address() as AddressInfo).port;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    server = createServer().listen(0, '127.0.0.1'); // for afterEach
    const error = await failure(sut().getStatus());
    expect(error).toMatchObject({ code: 'unreachable' });
    expect(error.message).toContain(`127.0.0.1:${port}`);
  });

  it('says the agent is not running when it has not written its port file', async () => {
    rmSync(join(dataDir, 'local-api.json'));
    expect((await failure(sut().getStatus())).code).toBe('not-running');
  });

  it('says the token is unreadable, and for whom, when the file is refused (EACCES)', async () => {
    const denyToken = {
      readFile: async (path: string) => {
        if (path.endsWith('local-api.token')) throw Object.assign(new Error('permission denied'), { code: 'EACCES' });
        return nodeFileReader.readFile(path);
      },
    };
    const error = await failure(sut(2_000, denyToken).getStatus());
    expect(error.code).toBe('token-unreadable');
    expect(error.message).toContain('local administrator');
    expect(seen).toHaveLength(0);
  });

  it('refuses a token file whose content could smuggle header text', async () => {
    writeFileSync(join(dataDir, 'local-api.token'), `${TOKEN}\r\nX-Evil: 1`);
    chmodSync(join(dataDir, 'local-api.token'), 0o600);
    expect((await failure(sut().getStatus())).code).toBe('token-unreadable');
    expect(seen).toHaveLength(0);
  });

  it('refuses a port file that does not hold a port', async () => {
    writeFileSync(join(dataDir, 'local-api.json'), '{"port": 70000}');
    expect((await failure(sut().getStatus())).code).toBe('bad-response');
  });

  it('reports an HTTP error status with its number', async () => {
    answer = (_req, res) => {
      res.statusCode = 500;
      res.end('{"error":"internal error"}');
    };
    expect(await failure(sut().getStatus())).toMatchObject({
      code: 'http-error',
      message: 'the agent answered /v1/status with HTTP 500',
    });
  });
});
