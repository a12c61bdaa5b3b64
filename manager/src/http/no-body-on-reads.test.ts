import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest } from '../testing/http-fuzz.fixture';
import { refuseBodyOnReads } from './no-body-on-reads';

describe('refuseBodyOnReads', () => {
  let server: Server;
  let url = '';
  beforeAll(async () => {
    // The route answers without reading the body, as the API docs' static files do.
    server = createServer((req, res) => refuseBodyOnReads(req, res, () => res.end('route')));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('reads a GET body to its end and answers 400, instead of a reset under the reply', async () => {
    const body = Buffer.alloc(300 * 1024, 'x');
    const res = await rawRequest(url, { method: 'GET', path: '/docs.js', headers: {}, body });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text)).toEqual({ message: 'a GET request has no body' });
  });

  it('lets reads without a body and writes with one through', async () => {
    expect((await rawRequest(url, { method: 'GET', path: '/', headers: {} })).text).toBe('route');
    const post = await rawRequest(url, { method: 'POST', path: '/', headers: {}, body: Buffer.from('{}') });
    expect(post.text).toBe('route');
  });
});
