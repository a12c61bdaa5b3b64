// For the REST fuzz: the routes a running manager serves, read from its Express
// router (so a new controller is fuzzed without a list to update), and a raw HTTP
// request that sends whatever it is given (a body on a GET, any method, any bytes).
import { request } from 'node:http';
import type { TestManager } from './test-manager.fixture';

export interface ServedRoute {
  /** Upper-case, e.g. POST. */
  method: string;
  /** Express path with its parameters, e.g. /api/v1/agents/:id/revoke. */
  path: string;
}

interface RouterLayer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
}

/** Every method and path the manager's Express app has a route for. */
export function servedRoutes(manager: TestManager): ServedRoute[] {
  const app = manager.app.getHttpAdapter().getInstance() as { router?: { stack: RouterLayer[] } };
  const stack = app.router?.stack;
  if (!stack) throw new Error('the Express router is not where Express 5 keeps it: update servedRoutes');
  const routes = new Map<string, ServedRoute>();
  for (const layer of stack) {
    if (!layer.route) continue;
    const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
    for (const path of paths)
      for (const [method, on] of Object.entries(layer.route.methods))
        if (on && method !== '_all') routes.set(`${method} ${path}`, { method: method.toUpperCase(), path });
  }
  return [...routes.values()];
}

export interface RawRequest {
  method: string;
  /** Path and query, sent as they are. */
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** An event stream that answered 200: its headers only are read, the stream is left. */
  streaming: boolean;
}

/** Sends one request on a new connection; rejects when no full answer came within `timeoutMs`. */
export function rawRequest(baseUrl: string, req: RawRequest, timeoutMs = 10_000): Promise<RawResponse> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    // A length always: Node sends a GET's body unframed otherwise, and the server reads it as the next request.
    const headers = req.body ? { ...req.headers, 'content-length': String(req.body.length) } : req.headers;
    const outgoing = request(
      { host: url.hostname, port: url.port, method: req.method, path: req.path, headers, agent: false },
      (res) => {
        const streaming = res.statusCode === 200 && /^text\/event-stream/.test(res.headers['content-type'] ?? '');
        const done = (text: string) => {
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, streaming });
        };
        if (streaming) {
          outgoing.destroy();
          done('');
          return;
        }
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(Buffer.concat(chunks).toString('utf8')));
        res.on('error', reject);
      },
    );
    const timer = setTimeout(() => {
      outgoing.destroy();
      reject(new Error(`no answer within ${timeoutMs} ms to ${req.method} ${req.path.slice(0, 200)}`));
    }, timeoutMs);
    outgoing.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    outgoing.end(req.body);
  });
}
