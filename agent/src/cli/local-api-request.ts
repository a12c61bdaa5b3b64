// One request to the running agent's local API from the command line, as the tray makes
// it: the port and the bearer token read afresh from the agent's data folder (the token
// changes at each start), loopback only, one time budget, the answer bounded and checked
// against the shared schema. A refusal keeps the agent's own words (they say what to do).
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { z } from 'zod';
import { AgentError, ExitCode } from '../errors/agent-error';
import { LOCAL_API_INFO_FILE, LOCAL_API_TOKEN_FILE } from '../local-api/local-api-token';

const MAX_ANSWER_BYTES = 64 * 1024;
const LocalApiInfo = z.object({ port: z.number().int().min(1).max(65_535) });
const BearerToken = z.string().regex(/^[A-Za-z0-9._~+/=-]{16,512}$/);
const Refusal = z.object({
  error: z.string(),
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

function readAgentFile(dataDir: string, name: string): string {
  const path = join(dataDir, name);
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new AgentError(`the agent is not running (${path} does not exist)`, ExitCode.failure);
    if (code === 'EACCES' || code === 'EPERM')
      throw new AgentError(
        `${path} is readable only by the agent's account: run this as that account`,
        ExitCode.failure,
      );
    throw new AgentError(`cannot read ${path}: ${String(error)}`, ExitCode.failure);
  }
}

export async function postLocalApi<T>(
  dataDir: string,
  path: string,
  payload: unknown,
  answer: z.ZodType<T>,
  timeoutMs: number,
): Promise<T> {
  const info = LocalApiInfo.safeParse(safeJson(readAgentFile(dataDir, LOCAL_API_INFO_FILE)));
  if (!info.success) throw new AgentError(`${LOCAL_API_INFO_FILE} does not hold the port`, ExitCode.failure);
  const token = BearerToken.safeParse(readAgentFile(dataDir, LOCAL_API_TOKEN_FILE).trim());
  if (!token.success) throw new AgentError(`${LOCAL_API_TOKEN_FILE} does not hold a token`, ExitCode.failure);
  const { status, body } = await post(info.data.port, path, token.data, JSON.stringify(payload), timeoutMs);
  const json = safeJson(body);
  if (status !== 200) {
    const refusal = Refusal.safeParse(json);
    const issues = refusal.success ? (refusal.data.issues ?? []).map((i) => `${i.path}: ${i.message}`) : [];
    const words = refusal.success ? [refusal.data.error, ...issues].join('; ') : `HTTP ${status}`;
    throw new AgentError(`the agent refused: ${words.slice(0, 300)}`, ExitCode.failure);
  }
  const parsed = answer.safeParse(json);
  if (!parsed.success)
    throw new AgentError(`the agent's answer to ${path} is not the expected shape`, ExitCode.failure);
  return parsed.data;
}

function post(
  port: number,
  path: string,
  token: string,
  json: string,
  timeoutMs: number,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1',
      port,
      path,
      method: 'POST',
      headers: {
        host: `127.0.0.1:${port}`,
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(json)),
      },
    });
    const timer = setTimeout(() => {
      req.destroy(new AgentError(`the agent did not answer ${path} within ${timeoutMs} ms`, ExitCode.failure));
    }, timeoutMs);
    req.on('error', (error) => {
      clearTimeout(timer);
      reject(
        error instanceof AgentError
          ? error
          : new AgentError(`the agent's local API cannot be reached: ${error.message}`, ExitCode.failure),
      );
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_ANSWER_BYTES)
          req.destroy(new AgentError(`the agent's answer is larger than ${MAX_ANSWER_BYTES} bytes`, ExitCode.failure));
        else chunks.push(chunk);
      });
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
      });
    });
    req.end(json);
  });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
