// A real agent identity against a TestManager: enrolled through the real Enroll call
// over TLS, then Session streams over mutual TLS with its certificate. For tests of
// what the manager does at its gRPC edge with whatever an agent sends.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { credentials, Metadata, type ServiceError } from '@grpc/grpc-js';
import {
  AgentServiceClient,
  Severity,
  type AgentMessage,
  type CommandKey,
  type Event,
  type EnrollResponse,
  type HostInfo,
  type ManagerMessage,
} from '@wardwatch/proto';
import { EnrollmentTokenService } from '../enrollment/enrollment-token.service';
import { makeKeyAndCsr, type TestManager } from './test-manager.fixture';

export const TEST_HOST: HostInfo = { hostname: 'ward3-ws12', os: 'linux', osVersion: '6.1', agentVersion: '0.1.0' };

export interface TestAgentSession {
  /** Everything the manager sent so far. */
  got: ManagerMessage[];
  /** Set when the manager ended the stream with an error. */
  error(): ServiceError | undefined;
  send(message: AgentMessage): void;
  /** Resolves when `until` holds for what came back, or the stream ended; rejects after the timeout. */
  waitFor(until: (got: ManagerMessage[]) => boolean, timeoutMs?: number): Promise<void>;
  /** Resolves with the status the stream ended with. */
  ended(timeoutMs?: number): Promise<ServiceError | undefined>;
  close(): void;
}

export interface TestAgent {
  agentId: string;
  certificatePem: string;
  privateKeyPem: string;
  /** The command keys the manager gave at enrollment, to verify SignedCommands with. */
  commandKeys: CommandKey[];
  /** The site key given at enrollment (empty in OPRF mode). */
  pseudonymKey: Buffer;
  open(): TestAgentSession;
  close(): void;
}

export function caPemOf(manager: TestManager): string {
  return readFileSync(join(manager.config.dataDir, 'pki', 'ca.cert.pem'), 'utf8');
}

export function enrollCall(
  manager: TestManager,
  token: string,
  csrPem: string,
  host: HostInfo = TEST_HOST,
): Promise<{ error: ServiceError | null; response?: EnrollResponse }> {
  const client = new AgentServiceClient(
    `127.0.0.1:${manager.grpcPort}`,
    credentials.createSsl(Buffer.from(caPemOf(manager))),
  );
  return new Promise((resolve) =>
    client.enroll({ token, csrPem, host }, new Metadata(), { deadline: Date.now() + 10_000 }, (error, response) => {
      client.close();
      resolve({ error, response });
    }),
  );
}

export async function enrollTestAgent(manager: TestManager, host: HostInfo = TEST_HOST): Promise<TestAgent> {
  const { token } = await manager.app.get(EnrollmentTokenService).create(10, 'test');
  const keys = await makeKeyAndCsr();
  const { error, response } = await enrollCall(manager, token, keys.csrPem, host);
  if (error || !response) throw new Error(`enrollment failed: ${error?.message ?? 'no response'}`);
  const clients: AgentServiceClient[] = [];
  return {
    agentId: response.agentId,
    certificatePem: response.certificatePem,
    privateKeyPem: keys.privateKeyPem,
    commandKeys: response.commandKeys,
    pseudonymKey: Buffer.from(response.pseudonymKey),
    // One client (one HTTP/2 connection) per session, as separate workstations would have.
    open: () => {
      const client = new AgentServiceClient(
        `127.0.0.1:${manager.grpcPort}`,
        credentials.createSsl(
          Buffer.from(caPemOf(manager)),
          Buffer.from(keys.privateKeyPem),
          Buffer.from(response.certificatePem),
        ),
      );
      clients.push(client);
      return openSession(client);
    },
    close: () => clients.forEach((c) => c.close()),
  };
}

function openSession(client: AgentServiceClient): TestAgentSession {
  const call = client.session();
  const got: ManagerMessage[] = [];
  let failure: ServiceError | undefined;
  let finished = false;
  const listeners = new Set<() => void>();
  const notify = () => listeners.forEach((l) => l());
  call.on('data', (m: ManagerMessage) => {
    got.push(m);
    notify();
  });
  call.on('error', (error: ServiceError) => {
    failure = error;
    finished = true;
    notify();
  });
  call.on('end', () => {
    finished = true;
    notify();
  });
  const waitUntil = (check: () => boolean, timeoutMs: number, what: string) =>
    new Promise<void>((resolve, reject) => {
      const listener = () => {
        if (!check()) return;
        clearTimeout(timer);
        listeners.delete(listener);
        resolve();
      };
      const timer = setTimeout(() => {
        listeners.delete(listener);
        reject(new Error(`${what} within ${timeoutMs} ms; got ${JSON.stringify(got)}, error ${failure?.message}`));
      }, timeoutMs);
      listeners.add(listener);
      listener();
    });
  return {
    got,
    error: () => failure,
    send: (message) => {
      if (!finished) call.write(message);
    },
    waitFor: (until, timeoutMs = 10_000) => waitUntil(() => finished || until(got), timeoutMs, 'no answer'),
    ended: async (timeoutMs = 10_000) => {
      await waitUntil(() => finished, timeoutMs, 'the stream did not end');
      return failure;
    },
    close: () => {
      call.end();
      call.cancel();
    },
  };
}

/** The sequences acknowledged so far. */
export function acks(got: ManagerMessage[]): number[] {
  return got.flatMap((m) => (m.body?.$case === 'ack' ? [m.body.value.sequence] : []));
}

/** An event an honest agent would send: pseudonymised user, a clear system executable. */
export function honestEvent(id: string, timeMs = Date.now()): Event {
  return {
    id,
    timeMs,
    sequence: 0,
    severity: Severity.SEVERITY_INFO,
    user: 'u_0123456789abcdef',
    detail: {
      $case: 'process',
      value: { action: 'start', pid: 4242, ppid: 1, executable: '/usr/bin/ssh', commandLine: '', sha256: '' },
    },
  };
}

export function eventBatch(sequence: number, events: Event[], dropped: Record<string, number> = {}): AgentMessage {
  return { body: { $case: 'events', value: { sequence, events, dropped } } };
}

export function hello(host: HostInfo = TEST_HOST, commandKeyIds: string[] = []): AgentMessage {
  return { body: { $case: 'hello', value: { commandKeyIds, agentVersion: host.agentVersion, host } } };
}
