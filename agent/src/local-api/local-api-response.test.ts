// The response routes over real HTTP on 127.0.0.1, against a small in-memory
// ResponseControl (the real one lives in response/; these tests hold the HTTP edge:
// bounds, validation, refusals and their statuses).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Backoff, ResponseActionView, ResponseStatus, type ResponseControl } from '@wardwatch/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../logging/logger';
import { LocalApiServer } from './local-api-server';
import { GOOD_MAINTENANCE_CODE as GOOD_CODE, MemoryResponseControl } from './memory-response-control.fixture';

const NOW = Date.UTC(2026, 11, 2, 13, 0);
const lock: ResponseActionView = {
  commandId: 'cmd-lock-1',
  kind: 'lock_screen',
  state: 'done',
  reason: 'ransomware-like burst in a patient-data folder',
  automatic: true,
  receivedAt: NOW - 60_000,
  runsAt: null,
  finishedAt: NOW - 30_000,
  message: 'screen locked',
  undoable: true,
  expiresAt: NOW + 3_600_000,
};

let dataDir: string;
let server: LocalApiServer;
let port: number;
let token: string;
let control: MemoryResponseControl;
let logger: ReturnType<typeof createMemoryLogger>;

async function startServer(response: ResponseControl | undefined): Promise<void> {
  server = new LocalApiServer({
    dataDir,
    port: 0,
    status: () => {
      throw new Error('not asked');
    },
    recent: () => [],
    logger,
    backoff: new Backoff({ baseMs: 10, maxMs: 50 }),
    response,
  });
  port = (await server.start()) ?? -1;
  token = readFileSync(join(dataDir, 'local-api.token'), 'utf8').trim();
}

beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'ww-localapi-response-'));
  control = new MemoryResponseControl(() => NOW, [lock]);
  logger = createMemoryLogger();
  await startServer(control);
});
afterEach(async () => {
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

type Answer = {
  status: number;
  body: { error?: string; issues?: { path: string }[] } & Record<string, unknown>;
  headers: Record<string, unknown>;
};

function call(
  method: string,
  path: string,
  options: { body?: unknown; raw?: string; headers?: Record<string, string>; auth?: boolean } = {},
): Promise<Answer> {
  const payload = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method,
        headers: {
          host: `127.0.0.1:${port}`,
          ...(options.auth === false ? {} : { authorization: `Bearer ${token}` }),
          ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
          ...options.headers,
        },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Answer['body'], headers: res.headers }),
        );
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

describe('local API response routes', () => {
  it('answers GET /v1/response with the response status in the shared schema', async () => {
    const answer = await call('GET', '/v1/response');
    expect(answer.status).toBe(200);
    const status = ResponseStatus.parse(answer.body);
    expect(status.actions.map((a) => [a.commandId, a.state, a.undoable])).toEqual([['cmd-lock-1', 'done', true]]);
    expect(answer.headers['access-control-allow-origin']).toBeUndefined();
    expect(answer.headers['cache-control']).toBe('no-store');
  });

  it('declares and ends break-glass, with 60 minutes when none are given', async () => {
    const declared = await call('POST', '/v1/response/break-glass', { body: { reason: 'cardiac arrest, bed 4' } });
    expect(declared).toMatchObject({
      status: 200,
      body: { active: true, reason: 'cardiac arrest, bed 4', until: NOW + 60 * 60_000 },
    });
    expect((await call('DELETE', '/v1/response/break-glass')).body).toMatchObject({ active: false });
    expect(control.calls).toEqual(['break-glass 60 cardiac arrest, bed 4', 'end break-glass']);
  });

  it('refuses an invalid body with 400 and the issues by field, without asking the response side', async () => {
    const answer = await call('POST', '/v1/response/break-glass', { body: { reason: 'x', minutes: 9_999 } });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toBe('invalid request');
    expect(answer.body.issues?.map((i) => i.path).sort()).toEqual(['minutes', 'reason']);
    expect((await call('POST', '/v1/response/break-glass', { raw: '{"reason": ' })).body).toEqual({
      error: 'body is not valid JSON',
    });
    const undo = await call('POST', '/v1/response/undo', { body: { commandId: 'cmd-lock-1', code: 'short' } });
    expect(undo.body.issues?.map((i) => i.path)).toEqual(['code']);
    expect(control.calls).toEqual([]);
  });

  it('refuses a body that is not JSON by type (415) or too large (413)', async () => {
    const typed = await call('POST', '/v1/response/break-glass', {
      raw: '{"reason":"cardiac arrest"}',
      headers: { 'content-type': 'text/plain' },
    });
    expect(typed.status).toBe(415);
    const big = await call('POST', '/v1/response/maintenance', {
      body: { reason: 'patching', minutes: 30, code: 'a'.repeat(20_000) },
    });
    expect(big).toMatchObject({ status: 413, body: { error: 'body larger than 16384 bytes' } });
    // A sender that hides its length (chunked) is cut at the bound as well.
    const chunked = await call('POST', '/v1/response/maintenance', {
      body: { reason: 'patching', minutes: 30, code: 'a'.repeat(20_000) },
      headers: { 'transfer-encoding': 'chunked' },
    });
    expect(chunked.status).toBe(413);
    expect(control.calls).toEqual([]);
  });

  it('passes a refusal of the response side on with its status and message (bad maintenance code: 403)', async () => {
    const refused = await call('POST', '/v1/response/maintenance', {
      body: { reason: 'replacing the card reader', minutes: 30, code: 'not-the-right-code-at-all' },
    });
    expect(refused).toMatchObject({
      status: 403,
      body: { error: 'maintenance code refused: not signed by this manager' },
    });
    const started = await call('POST', '/v1/response/maintenance', {
      body: { reason: 'replacing the card reader', minutes: 30, code: GOOD_CODE },
    });
    expect(started).toMatchObject({ status: 200, body: { active: true, until: NOW + 30 * 60_000 } });
    expect((await call('DELETE', '/v1/response/maintenance')).body).toMatchObject({ active: false });
    expect(logger.lines.filter((l) => l.level === 'error')).toEqual([]);
  });

  it('undoes an undoable action, and says 404 / 409 for an unknown or already undone one', async () => {
    const undone = await call('POST', '/v1/response/undo', { body: { commandId: 'cmd-lock-1', code: GOOD_CODE } });
    expect(undone.status).toBe(200);
    expect(ResponseActionView.parse(undone.body)).toMatchObject({ state: 'undone', undoable: false });
    const again = await call('POST', '/v1/response/undo', { body: { commandId: 'cmd-lock-1', code: GOOD_CODE } });
    expect(again).toMatchObject({ status: 409, body: { error: 'this action cannot be undone' } });
    const unknown = await call('POST', '/v1/response/undo', { body: { commandId: 'cmd-none', code: GOOD_CODE } });
    expect(unknown).toMatchObject({ status: 404, body: { error: 'no action cmd-none here' } });
  });

  it('restores through POST /v1/response/restore, validated: a folder or a class, extensions with their dot', async () => {
    const asked = {
      since: NOW - 600_000,
      folderClass: 'phi',
      removeCreatedExtensions: ['.locked'],
      reason: 'ransomware stopped',
    };
    const done = await call('POST', '/v1/response/restore', { body: { ...asked, code: GOOD_CODE } });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ changed: 3, restored: 3, removed: 1, dryRun: false });
    const both = await call('POST', '/v1/response/restore', {
      body: { ...asked, folder: '/srv/phi', code: GOOD_CODE },
    });
    expect(both.status).toBe(400);
    const badExtension = await call('POST', '/v1/response/restore', {
      body: { ...asked, removeCreatedExtensions: ['*'], code: GOOD_CODE },
    });
    expect(badExtension.status).toBe(400);
    expect(badExtension.body.issues?.[0]?.path).toBe('removeCreatedExtensions.0');
    const badCode = await call('POST', '/v1/response/restore', { body: { ...asked, code: 'x'.repeat(20) } });
    expect(badCode.status).toBe(403);
    expect(control.calls.filter((c) => c.startsWith('restore'))).toHaveLength(2);
  });

  it('opens a sealed file through POST /v1/response/open-sealed: code and reason required, body bounded', async () => {
    const asked = { path: '/home/nurse1/Scans/xray.pdf.wwsealed', reason: 'GP needs the x-ray' };
    const done = await call('POST', '/v1/response/open-sealed', { body: { ...asked, code: GOOD_CODE } });
    expect(done.status).toBe(200);
    expect(done.body).toEqual({ out: '/home/nurse1/WardWatch-opened/xray.pdf', policyVersion: 3 });
    const noReason = await call('POST', '/v1/response/open-sealed', {
      body: { ...asked, reason: '', code: GOOD_CODE },
    });
    expect(noReason.status).toBe(400);
    expect(noReason.body.issues?.[0]?.path).toBe('reason');
    const extra = await call('POST', '/v1/response/open-sealed', { body: { ...asked, code: GOOD_CODE, out: '/etc' } });
    expect(extra.status).toBe(400);
    const badCode = await call('POST', '/v1/response/open-sealed', { body: { ...asked, code: 'x'.repeat(20) } });
    expect(badCode.status).toBe(403);
    expect(control.calls.filter((c) => c.startsWith('open-sealed'))).toHaveLength(2);
  });

  it('answers 500 without details when the response side fails, and logs it once', async () => {
    control.failWith = new Error('disk /var/lib/wardwatch/response.json unreadable');
    const answer = await call('GET', '/v1/response');
    expect(answer).toMatchObject({ status: 500, body: { error: 'internal error' } });
    expect(JSON.stringify(answer.body)).not.toContain('/var/lib');
    const logged = logger.lines.filter((l) => l.msg === 'local api request failed');
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ level: 'error', method: 'GET', path: '/v1/response' });
  });

  it('demands the token and a loopback Host before reading a body', async () => {
    const body = { reason: 'cardiac arrest, bed 4' };
    expect((await call('POST', '/v1/response/break-glass', { body, auth: false })).status).toBe(401);
    expect(
      (await call('POST', '/v1/response/break-glass', { body, headers: { host: `rebind.example:${port}` } })).status,
    ).toBe(403);
    expect(control.calls).toEqual([]);
  });

  it('answers 405 with Allow for a method a route does not take', async () => {
    const put = await call('PUT', '/v1/response/break-glass', { body: {} });
    expect(put).toMatchObject({ status: 405, headers: { allow: 'POST, DELETE' } });
    expect((await call('GET', '/v1/response/undo')).headers.allow).toBe('POST');
    expect((await call('DELETE', '/v1/status')).status).toBe(405);
    expect((await call('GET', '/v1/response/nothing')).status).toBe(404);
  });

  it('answers 503 "response not available" when the agent runs without a response side', async () => {
    await server.stop();
    await startServer(undefined);
    expect(await call('GET', '/v1/response')).toMatchObject({
      status: 503,
      body: { error: 'response not available' },
    });
    expect((await call('POST', '/v1/response/break-glass', { body: { reason: 'cardiac arrest, bed 4' } })).status).toBe(
      503,
    );
  });
});
