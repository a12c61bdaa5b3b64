// Against a real node:http server on 127.0.0.1 that demands the bearer token,
// with real token and port files in a temporary data folder.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgentStatus, ResponseStatus } from '@wardwatch/shared';
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

describe('LocalApiClient response routes', () => {
  const responseStatus: ResponseStatus = {
    commandsEnabled: true,
    dryRun: false,
    actions: [],
    breakGlass: { active: false, reason: null, since: null, until: null },
    maintenance: { active: false, reason: null, until: null },
  };
  let bodies: { method: string; url: string; type: string | undefined; body: string }[];

  beforeEach(() => {
    bodies = [];
    answer = (req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        bodies.push({ method: req.method ?? '', url: req.url ?? '', type: req.headers['content-type'], body });
        if (req.url === '/v1/response') return res.end(JSON.stringify(responseStatus));
        if (req.url === '/v1/response/break-glass')
          return res.end(
            JSON.stringify(
              req.method === 'POST'
                ? { active: true, reason: 'code blue', since: 1, until: 3_600_001 }
                : { active: false, reason: null, since: null, until: null },
            ),
          );
        res.statusCode = 403;
        res.end(JSON.stringify({ error: 'maintenance code refused: expired' }));
      });
    };
  });

  it('reads the response status', async () => {
    expect(await sut().getResponse()).toEqual(responseStatus);
    expect(bodies).toEqual([{ method: 'GET', url: '/v1/response', type: undefined, body: '' }]);
  });

  it('posts break-glass as JSON and ends it with DELETE', async () => {
    expect(await sut().declareBreakGlass({ reason: 'code blue', minutes: 60 })).toMatchObject({ active: true });
    expect(await sut().endBreakGlass()).toMatchObject({ active: false });
    expect(bodies).toEqual([
      {
        method: 'POST',
        url: '/v1/response/break-glass',
        type: 'application/json',
        body: '{"reason":"code blue","minutes":60}',
      },
      { method: 'DELETE', url: '/v1/response/break-glass', type: undefined, body: '' },
    ]);
  });

  it("keeps the agent's own words when it refuses (403: bad maintenance code)", async () => {
    const error = await failure(sut().startMaintenance({ reason: 'patching', minutes: 30, code: 'x'.repeat(20) }));
    expect(error).toMatchObject({ code: 'refused', message: 'maintenance code refused: expired' });
  });

  it('names the fields of a 400, bounds a long refusal, and says when there is no response side (503)', async () => {
    answer = (_req, res) => {
      res.statusCode = 400;
      res.end(
        JSON.stringify({
          error: 'invalid request',
          issues: [
            { path: 'reason', message: 'Too small' },
            { path: 'minutes', message: 'Too big' },
          ],
        }),
      );
    };
    expect(await failure(sut().declareBreakGlass({ reason: 'x', minutes: 60 }))).toMatchObject({
      code: 'refused',
      message: 'invalid request: reason: Too small; minutes: Too big',
    });
    answer = (_req, res) => {
      res.statusCode = 409;
      res.end(JSON.stringify({ error: 'z'.repeat(5_000) }));
    };
    expect((await failure(sut().undo({ commandId: 'c1', code: 'x'.repeat(20) }))).message).toHaveLength(300);
    answer = (_req, res) => {
      res.statusCode = 404;
      res.end('not json');
    };
    expect((await failure(sut().undo({ commandId: 'c1', code: 'x'.repeat(20) }))).message).toBe(
      'the agent refused the request (HTTP 404)',
    );
    answer = (_req, res) => {
      res.statusCode = 503;
      res.end(JSON.stringify({ error: 'response not available' }));
    };
    expect((await failure(sut().getResponse())).code).toBe('not-available');
  });
});
