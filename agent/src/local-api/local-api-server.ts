// The agent's local API for the tray: loopback HTTP only, bearer token,
// loopback Host header only (DNS rebinding), no CORS. Read-only: status and
// recent (already pseudonymised) events.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { AgentStatus, RecentEvents, type RecentEvent } from '@wardwatch/shared';
import { writeAtomic } from '../identity/identity-store';
import type { Logger } from '../logging/logger';
import { bearerMatches, createLocalApiToken, isLoopbackHost, LOCAL_API_INFO_FILE } from './local-api-token';

export interface LocalApiOptions {
  dataDir: string;
  port: number;
  status(): AgentStatus;
  recent(): RecentEvent[];
  logger: Logger;
}

export class LocalApiServer {
  private server: Server | null = null;
  private token = '';
  private port = 0;

  constructor(private readonly options: LocalApiOptions) {}

  /** Listens on 127.0.0.1, writes the token and port files, and returns the port. */
  async start(): Promise<number> {
    this.token = createLocalApiToken(this.options.dataDir);
    const server = createServer((req, res) => this.handle(req, res));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    writeAtomic(join(this.options.dataDir, LOCAL_API_INFO_FILE), `${JSON.stringify({ port: this.port })}\n`, 0o644);
    this.options.logger.info('local api listening', { localApiPort: this.port });
    return this.port;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    try {
      if (!isLoopbackHost(req.headers.host, this.port)) return send(res, 403, { error: 'forbidden host' });
      if (!bearerMatches(req.headers.authorization, this.token)) return send(res, 401, { error: 'unauthorized' });
      if (req.method !== 'GET') return send(res, 405, { error: 'method not allowed' });
      const path = (req.url ?? '').split('?')[0];
      if (path === '/v1/status') return send(res, 200, AgentStatus.parse(this.options.status()));
      if (path === '/v1/events/recent') return send(res, 200, RecentEvents.parse({ items: this.options.recent() }));
      send(res, 404, { error: 'not found' });
    } catch (error) {
      this.options.logger.error('local api request failed', { path: req.url, error });
      send(res, 500, { error: 'internal error' });
    }
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...(status === 401 ? { 'www-authenticate': 'Bearer' } : {}),
  });
  res.end(text);
}
