// Liveness, readiness and the JSON 404 over real HTTP, on a whole manager whose
// dashboard is built (so an HTML answer would be the SPA fallback leaking through).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestManager, type TestManager } from '../testing/test-manager.fixture';

describe('health and unknown paths over HTTP', () => {
  const dashboardDir = mkdtempSync(join(tmpdir(), 'ww-dash-'));
  let manager: TestManager;

  beforeAll(async () => {
    writeFileSync(join(dashboardDir, 'index.html'), '<!doctype html><title>WardWatch</title>');
    manager = await startTestManager({ dashboardDir });
  });
  afterAll(async () => {
    await manager?.stop();
    rmSync(dashboardDir, { recursive: true, force: true });
  });

  const get = (path: string) => fetch(`${manager.httpUrl}${path}`);

  it('says live and ready while the database answers and gRPC listens', async () => {
    const live = await get('/health/live');
    expect(live.status).toBe(200);
    expect(await live.json()).toMatchObject({ status: 'live' });
    const ready = await get('/health/ready');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { database: 'ok', grpc: 'ok' } });
  });

  it('answers unknown API and operations paths with a JSON 404, never the dashboard', async () => {
    for (const path of [
      '/api/v1/nope',
      '/api/v2/agents',
      '/api',
      '/ready',
      '/readyz',
      '/healthz',
      '/health',
      '/x.js',
    ]) {
      const response = await get(path);
      expect(response.status, path).toBe(404);
      expect(response.headers.get('content-type'), path).toContain('application/json');
      expect(await response.json(), path).toMatchObject({ statusCode: 404 });
    }
    const page = await get('/agents/some-agent');
    expect(page.headers.get('content-type')).toContain('text/html');
  });

  // Last: it closes the database under the running manager.
  it('turns not ready, 503 with the reason, when the database is closed, while staying live', async () => {
    await manager.app.get(DataSource).destroy();
    const ready = await get('/health/ready');
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({
      status: 'not_ready',
      reason: 'the sqlite database does not answer',
      checks: { database: 'failing', grpc: 'ok' },
    });
    expect((await get('/health/live')).status).toBe(200);
    const metrics = await (await get('/metrics')).text();
    expect(metrics).toMatch(/^wardwatch_db_up 0$/m);
  });
});
