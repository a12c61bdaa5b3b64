import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboardStatic } from './dashboard-static';

async function serve(dir: string): Promise<{ server: Server; url: string }> {
  const handler = dashboardStatic(dir);
  const server = createServer((req, res) =>
    handler(req, res, () => {
      res.writeHead(404);
      res.end('api');
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('dashboardStatic', () => {
  const root = mkdtempSync(join(tmpdir(), 'ww-dash-'));
  const dist = join(root, 'dist');
  let built: { server: Server; url: string };
  let missing: { server: Server; url: string };

  beforeAll(async () => {
    mkdirSync(join(dist, 'assets'), { recursive: true });
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>WardWatch</title>');
    writeFileSync(join(dist, 'assets', 'app-1234.js'), 'console.log(1)');
    writeFileSync(join(root, 'secret.txt'), 'outside');
    built = await serve(dist);
    missing = await serve(join(root, 'nope'));
  });
  afterAll(() => {
    built.server.close();
    missing.server.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('serves built files with their type, and index.html for app routes', async () => {
    const js = await fetch(`${built.url}/assets/app-1234.js`);
    expect(js.headers.get('content-type')).toContain('text/javascript');
    expect(js.headers.get('cache-control')).toContain('immutable');
    const route = await fetch(`${built.url}/events?agent=1`);
    expect(await route.text()).toContain('<title>WardWatch</title>');
  });

  it('leaves /api to the API and never serves files outside the dist folder', async () => {
    expect(await (await fetch(`${built.url}/api/v1/nothing`)).text()).toBe('api');
    const escape = await fetch(`${built.url}/..%2Fsecret.txt`);
    expect(await escape.text()).not.toContain('outside');
  });

  it('leaves operations paths and missing files to the API, and keeps the fallback for page routes', async () => {
    for (const path of [
      '/metrics',
      '/ready',
      '/readyz',
      '/health/live',
      '/Healthz',
      '/status',
      '/assets/gone.js',
      '/x.png',
    ]) {
      expect(await (await fetch(`${built.url}${path}`)).text(), path).toBe('api');
    }
    expect(await (await fetch(`${built.url}/alerts/42`)).text()).toContain('<title>WardWatch</title>');
    expect(await (await fetch(`${built.url}/metricsboard`)).text()).toContain('<title>WardWatch</title>');
  });

  it('says plainly when the dashboard is not built', async () => {
    const response = await fetch(`${missing.url}/`);
    expect(response.status).toBe(503);
    expect(await response.text()).toMatch(/dashboard is not built/);
  });
});
