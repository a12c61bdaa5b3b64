// The tray's only way to the agent: its local API on 127.0.0.1, with the bearer
// token the agent writes at every start. The token and port are read afresh
// for each request because the agent makes a new token each time it starts.
// Every answer is checked against the shared schema; every failure becomes a
// LocalApiError with a code the renderer can word for a person. A request the
// agent refuses (a bad maintenance code, an action that cannot be undone) keeps
// the agent's own words, since they say what to do.
import { request } from 'node:http';
import { join } from 'node:path';
import {
  AgentStatus,
  BreakGlassView,
  MaintenanceView,
  OpenSealedReport,
  RecentEvents,
  ResponseActionView,
  ResponseStatus,
  type BreakGlassRequest,
  type MaintenanceRequest,
  type OpenSealedRequest,
  type UndoRequest,
} from '@wardwatch/shared';
import { z } from 'zod';
import { LocalApiError } from './local-api-error';

export const LOCAL_API_TOKEN_FILE = 'local-api.token';
export const LOCAL_API_INFO_FILE = 'local-api.json';
/** The body of GET /v1/events/recent (shared exports only the schema under this name). */
export type RecentEventsBody = z.infer<typeof RecentEvents>;
const MAX_BODY_BYTES = 4 * 1024 * 1024;
/** How much of the agent's refusal is shown: enough for a sentence, not a page. */
const MAX_REFUSAL_CHARS = 300;

/** The agent's 4xx/503 body: `{error}`, with the issues by field for a 400. */
const ErrorBody = z.object({
  error: z.string(),
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
type Method = 'GET' | 'POST' | 'DELETE';

const LocalApiInfo = z.object({ port: z.number().int().min(1).max(65_535) });
// RFC 6750 token68 characters only: nothing that could break the header.
const BearerToken = z.string().regex(/^[A-Za-z0-9._~+/=-]{16,512}$/);

/** File reading behind an interface so a test can make it fail with a chosen errno. */
export interface FileReader {
  readFile(path: string): Promise<string>;
}

export interface LocalApiClientOptions {
  agentDataDir: string;
  timeoutMs: number;
  files: FileReader;
}

export class LocalApiClient {
  constructor(private readonly options: LocalApiClientOptions) {}

  getStatus(): Promise<AgentStatus> {
    return this.call('GET', '/v1/status', AgentStatus);
  }

  getRecentEvents(): Promise<RecentEventsBody> {
    return this.call('GET', '/v1/events/recent', RecentEvents);
  }

  getResponse(): Promise<ResponseStatus> {
    return this.call('GET', '/v1/response', ResponseStatus);
  }

  declareBreakGlass(body: BreakGlassRequest): Promise<BreakGlassView> {
    return this.call('POST', '/v1/response/break-glass', BreakGlassView, body);
  }

  endBreakGlass(): Promise<BreakGlassView> {
    return this.call('DELETE', '/v1/response/break-glass', BreakGlassView);
  }

  startMaintenance(body: MaintenanceRequest): Promise<MaintenanceView> {
    return this.call('POST', '/v1/response/maintenance', MaintenanceView, body);
  }

  endMaintenance(): Promise<MaintenanceView> {
    return this.call('DELETE', '/v1/response/maintenance', MaintenanceView);
  }

  undo(body: UndoRequest): Promise<ResponseActionView> {
    return this.call('POST', '/v1/response/undo', ResponseActionView, body);
  }

  openSealed(body: OpenSealedRequest): Promise<OpenSealedReport> {
    return this.call('POST', '/v1/response/open-sealed', OpenSealedReport, body);
  }

  private async call<T>(method: Method, path: string, schema: z.ZodType<T>, payload?: unknown): Promise<T> {
    const port = await this.readPort();
    const token = await this.readToken();
    const { status, body } = await this.fetch(port, method, path, token, payload);
    if (status === 401) {
      throw new LocalApiError(
        'unauthorized',
        "the agent refused the tray's token: it may have restarted, or the tray reads another agent's data folder",
      );
    }
    if (status === 503) throw new LocalApiError('not-available', `the agent has no response side running (${path})`);
    if ([400, 403, 404, 409, 413].includes(status)) throw new LocalApiError('refused', refusalText(body, status));
    if (status !== 200) throw new LocalApiError('http-error', `the agent answered ${path} with HTTP ${status}`);
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      throw new LocalApiError('bad-response', `the agent's answer to ${path} is not valid JSON`);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      throw new LocalApiError(
        'bad-response',
        `the agent's answer to ${path} does not match the expected shape: ${z.prettifyError(parsed.error)}`,
      );
    }
    return parsed.data;
  }

  private async readPort(): Promise<number> {
    const path = join(this.options.agentDataDir, LOCAL_API_INFO_FILE);
    let text: string;
    try {
      text = await this.options.files.readFile(path);
    } catch (error) {
      if (errno(error) === 'ENOENT')
        throw new LocalApiError(
          'not-running',
          `the agent is not running, or its local API is not listening yet: ${path} does not exist`,
        );
      if (errno(error) === 'EACCES' || errno(error) === 'EPERM') {
        throw new LocalApiError(
          'token-unreadable',
          `the agent's data folder is readable only by the local administrator (cannot read ${path}): start the tray as that account`,
        );
      }
      throw new LocalApiError('not-running', `cannot read ${path}: ${String(error)}`);
    }
    let port: z.infer<typeof LocalApiInfo>;
    try {
      port = LocalApiInfo.parse(JSON.parse(text));
    } catch {
      throw new LocalApiError('bad-response', `${path} does not hold {"port": <1-65535>}`);
    }
    return port.port;
  }

  private async readToken(): Promise<string> {
    const path = join(this.options.agentDataDir, LOCAL_API_TOKEN_FILE);
    let text: string;
    try {
      text = await this.options.files.readFile(path);
    } catch (error) {
      const code = errno(error);
      if (code === 'EACCES' || code === 'EPERM') {
        throw new LocalApiError(
          'token-unreadable',
          `the agent's token ${path} is readable only by the local administrator: start the tray as that account`,
        );
      }
      if (code === 'ENOENT') throw new LocalApiError('not-running', `the agent is not running: ${path} does not exist`);
      throw new LocalApiError('token-unreadable', `cannot read the agent's token ${path}: ${String(error)}`);
    }
    const token = BearerToken.safeParse(text.trim());
    if (!token.success) throw new LocalApiError('token-unreadable', `${path} does not hold a valid token`);
    return token.data;
  }

  private fetch(
    port: number,
    method: Method,
    path: string,
    token: string,
    payload: unknown,
  ): Promise<{ status: number; body: string }> {
    const { timeoutMs } = this.options;
    const json = payload === undefined ? undefined : JSON.stringify(payload);
    return new Promise((resolve, reject) => {
      const host = `127.0.0.1:${port}`;
      const req = request({
        host: '127.0.0.1',
        port,
        path,
        method,
        headers: {
          host,
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          ...(json === undefined
            ? {}
            : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(json)) }),
        },
      });
      // One budget for connect, headers and body: a stalled agent must not hang the tray.
      const timer = setTimeout(() => {
        req.destroy(new LocalApiError('timeout', `the agent did not answer ${path} within ${timeoutMs} ms`));
      }, timeoutMs);
      const fail = (error: unknown) => {
        clearTimeout(timer);
        reject(toLocalApiError(error, host));
      };
      req.on('error', fail);
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_BODY_BYTES)
            req.destroy(
              new LocalApiError('bad-response', `the agent's answer to ${path} is larger than ${MAX_BODY_BYTES} bytes`),
            );
          else chunks.push(chunk);
        });
        res.on('error', fail);
        res.on('end', () => {
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
        });
      });
      req.end(json);
    });
  }
}

/** The agent's refusal in its own words (bounded), with the fields at fault for a 400. */
function refusalText(body: string, status: number): string {
  let parsed: z.infer<typeof ErrorBody> | null = null;
  try {
    parsed = ErrorBody.parse(JSON.parse(body));
  } catch {
    // No usable words: fall back to the status below.
  }
  if (!parsed) return `the agent refused the request (HTTP ${status})`;
  const issues = (parsed.issues ?? []).map((issue) => `${issue.path || 'request'}: ${issue.message}`);
  const text = issues.length > 0 ? `${parsed.error}: ${issues.join('; ')}` : parsed.error;
  return text.length > MAX_REFUSAL_CHARS ? `${text.slice(0, MAX_REFUSAL_CHARS - 1)}…` : text;
}

function errno(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
    ? error.code
    : undefined;
}

function toLocalApiError(error: unknown, host: string): LocalApiError {
  if (error instanceof LocalApiError) return error;
  const code = errno(error);
  if (code === 'ECONNREFUSED')
    return new LocalApiError('unreachable', `nothing answers on ${host}: the agent's local API is not running`);
  return new LocalApiError(
    'unreachable',
    `cannot reach the agent on ${host}: ${error instanceof Error ? error.message : String(error)}`,
  );
}
