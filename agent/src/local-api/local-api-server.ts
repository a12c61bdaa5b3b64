// The agent's local API for the tray: loopback HTTP only, bearer token,
// loopback Host header only (DNS rebinding), no CORS. It reads status and
// recent (already pseudonymised) events, and the response routes
// (response-routes.ts) read and ask the response side: warnings, break-glass,
// maintenance mode, undo.
//
// It never stops the agent: a port it cannot have (another process holds it) is
// logged once with the reason and tried again with backoff, while the collectors
// run. The port file is written only once listening, and a stale one is removed at
// start, so the tray never sends the token to whatever holds an old port.
import { rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  AgentStatus,
  RecentEvents,
  ResponseControlError,
  type Backoff,
  type RecentEvent,
  type ResponseControl,
} from '@wardwatch/shared/agent';
import { writeAtomic } from '../identity/identity-store';
import type { Logger } from '../logging/logger';
import type { HealthReporter } from '../status/component-health';
import { bearerMatches, createLocalApiToken, isLoopbackHost, LOCAL_API_INFO_FILE } from './local-api-token';
import { RequestBodyError } from './read-json-body';
import { answerResponseRoute, InvalidRequestError } from './response-routes';

export interface LocalApiOptions {
  dataDir: string;
  port: number;
  status(): AgentStatus;
  recent(): RecentEvent[];
  logger: Logger;
  /** Waits between listen attempts while the port cannot be had. */
  backoff: Backoff;
  /** Told `local-api` running, failed (with the reason, while retrying) or stopped. */
  health?: HealthReporter;
  /** The response side (warnings, break-glass, maintenance, undo); its routes answer 503 without it. */
  response?: ResponseControl;
}

export const LOCAL_API_COMPONENT = 'local-api';

export class LocalApiServer {
  private server: Server | null = null;
  private token = '';
  private port = 0;
  private stopped = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private lastFailure: string | null = null;

  constructor(private readonly options: LocalApiOptions) {}

  /**
   * Writes the token, tries to listen on 127.0.0.1 and returns the port, or null when
   * the port cannot be had now: then it keeps trying with backoff until `stop()`.
   */
  async start(): Promise<number | null> {
    rmSync(join(this.options.dataDir, LOCAL_API_INFO_FILE), { force: true });
    this.token = createLocalApiToken(this.options.dataDir);
    this.stopped = false;
    await this.attempt();
    return this.listeningPort;
  }

  /** The port listened on, null while not (yet) listening. */
  get listeningPort(): number | null {
    return this.server ? this.port : null;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const server = this.server;
    this.server = null;
    this.options.health?.report(LOCAL_API_COMPONENT, 'stopped');
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async attempt(): Promise<void> {
    const { port: wanted, logger, dataDir, backoff } = this.options;
    const server = createServer((req, res) => this.handle(req, res));
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(wanted, '127.0.0.1', () => resolve());
      });
    } catch (error) {
      const reason = listenFailure(error, wanted);
      const retryInMs = backoff.next();
      // Once per reason, not once per attempt: a held port may stay held for hours.
      if (reason !== this.lastFailure)
        logger.error('local api cannot listen, retrying; collectors go on', {
          localApiPort: wanted,
          reason,
          retryInMs,
        });
      this.lastFailure = reason;
      if (!this.stopped) this.options.health?.report(LOCAL_API_COMPONENT, 'failed', reason);
      if (!this.stopped) this.retryTimer = setTimeout(() => void this.attempt(), retryInMs);
      return;
    }
    if (this.stopped) return void server.close();
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
    writeAtomic(join(dataDir, LOCAL_API_INFO_FILE), `${JSON.stringify({ port: this.port })}\n`, 0o600);
    logger.info('local api listening', {
      localApiPort: this.port,
      ...(backoff.attempts > 0 ? { attempts: backoff.attempts + 1 } : {}),
    });
    backoff.reset();
    this.lastFailure = null;
    this.options.health?.report(LOCAL_API_COMPONENT, 'running');
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '').split('?')[0];
    void this.answer(req, path).then(
      ({ status, body, headers }) => send(res, status, body, headers),
      (error: unknown) => {
        const refusal = refusalOf(error);
        if (refusal) return send(res, refusal.status, refusal.body, refusal.headers);
        // Logged once here, with the path; the caller learns nothing of the cause.
        this.options.logger.error('local api request failed', { method: req.method, path, error });
        send(res, 500, { error: 'internal error' });
      },
    );
  }

  private async answer(req: IncomingMessage, path: string): Promise<Answer> {
    if (!isLoopbackHost(req.headers.host, this.port)) return { status: 403, body: { error: 'forbidden host' } };
    if (!bearerMatches(req.headers.authorization, this.token)) return { status: 401, body: { error: 'unauthorized' } };
    const method = req.method ?? '';
    const response = await answerResponseRoute(method, path, req, this.options.response);
    if (response) return response;
    if (method !== 'GET') return { status: 405, body: { error: 'method not allowed' } };
    if (path === '/v1/status') return { status: 200, body: AgentStatus.parse(this.options.status()) };
    if (path === '/v1/events/recent')
      return { status: 200, body: RecentEvents.parse({ items: this.options.recent() }) };
    return { status: 404, body: { error: 'not found' } };
  }
}

type Answer = { status: number; body: unknown; headers?: Record<string, string> };

/** The 4xx answer for an error that is a refusal of the request, or null for a fault of ours. */
function refusalOf(error: unknown): Answer | null {
  if (error instanceof ResponseControlError) return { status: error.status, body: { error: error.message } };
  if (error instanceof InvalidRequestError)
    return { status: 400, body: { error: error.message, issues: error.issues } };
  if (error instanceof RequestBodyError)
    // A body cut short at the bound leaves the rest unread: close rather than reuse the connection.
    return {
      status: error.status,
      body: { error: error.message },
      ...(error.status === 413 ? { headers: { connection: 'close' } } : {}),
    };
  return null;
}

/** The reason in words an admin can act on; the code stays in it for searching. */
function listenFailure(error: unknown, port: number): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EADDRINUSE') return `EADDRINUSE: port ${port} on 127.0.0.1 is held by another process`;
  if (code === 'EACCES') return `EACCES: not allowed to listen on port ${port}`;
  return error instanceof Error ? error.message : String(error);
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...(status === 401 ? { 'www-authenticate': 'Bearer' } : {}),
  });
  res.end(text);
}
