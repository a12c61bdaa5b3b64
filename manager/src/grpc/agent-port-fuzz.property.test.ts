// Fuzz of the agents' gRPC port of a real manager (SQLite in a temp data folder):
// random and mutated AgentMessages on Session streams of an enrolled agent and of a
// client without a certificate, random Enroll and Renew requests, gRPC framing that
// lies (HTTP/2 by hand), and garbage on bare TLS and TCP connections. Properties:
// every call ends with a clear status (never INTERNAL, UNKNOWN or a hang) whose
// details show no stack; nothing is logged as a server error; nothing malformed is
// stored; memory stays bounded; afterwards the manager answers a health check and
// a normal Session.
//
// WARDWATCH_FUZZ_RUNS sets the runs of every property (defaults below); fast-check
// prints the seed of a failure, and FC_SEED=<seed> replays it.
import { status } from '@grpc/grpc-js';
import fc from 'fast-check';
import { EnrollRequest, ManagerMessage, RenewRequest } from '@wardwatch/proto';
import { AgentView, EventPage, Health, ScorePage } from '@wardwatch/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EnrollmentTokenService } from '../enrollment/enrollment-token.service';
import { fuzzedAgentMessage, hostileText, mutationsOf, randomPayload } from '../testing/protobuf-mutations.fixture';
import {
  garbageSocket,
  grpcFrame,
  HANG,
  http2Call,
  RawAgentClient,
  type Outcome,
  type TlsIdentity,
} from '../testing/raw-grpc.fixture';
import {
  acks,
  caPemOf,
  enrollTestAgent,
  eventBatch,
  hello,
  honestEvent,
  type TestAgent,
} from '../testing/test-agent.fixture';
import { testEngines } from '../testing/test-engines.fixture';
import { adminGet, managerForTests } from '../testing/test-manager.fixture';

const FUZZ_RUNS = process.env.WARDWATCH_FUZZ_RUNS === undefined ? undefined : Number(process.env.WARDWATCH_FUZZ_RUNS);
const SEED = process.env.FC_SEED === undefined ? undefined : Number(process.env.FC_SEED);
const runs = (byDefault: number) => ({ numRuns: FUZZ_RUNS ?? byDefault, seed: SEED });
/** Per test: room for the default runs on a loaded machine, and for more when asked. */
const TIMEOUT_MS = 120_000 + (FUZZ_RUNS ?? 0) * 500;
/** Growth of the test process's RSS (manager and clients) across the whole fuzz. */
const MAX_RSS_GROWTH_BYTES = 256 * 1024 * 1024;

const SESSION = '/wardwatch.agent.v1.AgentService/Session';
const ENROLL = '/wardwatch.agent.v1.AgentService/Enroll';
const RENEW = '/wardwatch.agent.v1.AgentService/Renew';

/** Codes compared with the plain numbers an HTTP/2 trailer carries. */
const UNKNOWN: number = status.UNKNOWN;
const INTERNAL: number = status.INTERNAL;
const NO_STATUS = -2;

const STACK = /\n\s+at |node_modules|\.[jt]s:\d+:\d+/;
const name = (code: number) => (code === HANG ? 'HANG' : code === NO_STATUS ? 'no status' : status[code]);

/** Counts the statuses seen, for the log line that says what the fuzz exercised. */
const seen = new Map<string, number>();
const note = (what: string, code: number) =>
  seen.set(`${what} ${name(code)}`, (seen.get(`${what} ${name(code)}`) ?? 0) + 1);

function expectClear(what: string, outcome: Outcome, allowed: status[]): void {
  note(what, outcome.code);
  const said = `${what} ended ${name(outcome.code)}: ${outcome.details}`;
  if (!allowed.includes(outcome.code as status)) throw new Error(`unexpected status: ${said}`);
  if (STACK.test(outcome.details)) throw new Error(`details show internals: ${said}`);
}

const sqlite = testEngines.filter((engine) => engine.name === 'sqlite');

describe.each(sqlite)('gRPC fuzz on $name: random and mutated input on the agent port', (engine) => {
  const running = managerForTests(engine);
  let agent: TestAgent;
  let withCert: TlsIdentity;
  let withoutCert: TlsIdentity;
  let rssBefore = 0;
  let errorsBefore = 0;
  const errorLogs = () => running.manager.logs.filter((l) => l.level === 'error').slice(errorsBefore);

  beforeAll(async () => {
    agent = await enrollTestAgent(running.manager);
    withCert = { caPem: caPemOf(running.manager), keyPem: agent.privateKeyPem, certPem: agent.certificatePem };
    withoutCert = { caPem: caPemOf(running.manager) };
    errorsBefore = running.manager.logs.filter((l) => l.level === 'error').length;
    rssBefore = process.memoryUsage().rss;
  });
  afterAll(() => {
    agent?.close();
    console.log(`gRPC fuzz statuses:\n${[...seen].map(([k, n]) => `  ${n}× ${k}`).join('\n')}`);
  });

  it(
    'ends every Session of an enrolled agent that sends random or mutated frames with a clear status',
    async () => {
      const client = new RawAgentClient(running.manager.grpcPort, withCert);
      try {
        await fc.assert(
          fc.asyncProperty(fc.array(fuzzedAgentMessage, { minLength: 1, maxLength: 4 }), async (frames) => {
            const outcome = await client.session(frames);
            // OK: the frames happened to be valid; the others are the refusals agent-session.grpc.ts documents.
            expectClear('session', outcome, [status.OK, status.RESOURCE_EXHAUSTED, status.UNAVAILABLE]);
            if (outcome.code === status.UNAVAILABLE) expect(outcome.details).toMatch(/too many malformed messages/);
            for (const reply of outcome.received) ManagerMessage.decode(reply);
          }),
          runs(120),
        );
        // Over the message size limit: refused by grpc-js before anything reads it.
        const oversized = await client.session([Buffer.alloc(running.manager.config.intake.maxMessageBytes + 1, 0x0a)]);
        expectClear('oversized session', oversized, [status.RESOURCE_EXHAUSTED]);
      } finally {
        client.close();
      }
      expect(errorLogs()).toEqual([]);
    },
    TIMEOUT_MS,
  );

  it(
    'refuses every Session without a client certificate, whatever it sends',
    async () => {
      const client = new RawAgentClient(running.manager.grpcPort, withoutCert);
      try {
        await fc.assert(
          fc.asyncProperty(fc.array(fuzzedAgentMessage, { maxLength: 3 }), async (frames) =>
            expectClear('session without a certificate', await client.session(frames), [status.UNAUTHENTICATED]),
          ),
          runs(25),
        );
      } finally {
        client.close();
      }
    },
    TIMEOUT_MS,
  );

  it(
    'answers random and mutated Enroll and Renew requests with a clear refusal, enrolling nobody',
    async () => {
      const get = await adminGet(running.manager);
      const agentsBefore = ((await (await get('/api/v1/agents?limit=500')).json()) as { items: unknown[] }).items
        .length;
      // A live token, so that some mutated requests get as far as the certificate request.
      const { token } = await running.manager.app.get(EnrollmentTokenService).create(10, 'fuzz');
      const enrollRequest = fc
        .record({
          token: fc.oneof(fc.constant(token), hostileText),
          csrPem: fc.oneof(
            hostileText,
            fc.constant('-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n'),
          ),
          hostname: hostileText,
        })
        .map((r) =>
          Buffer.from(
            EnrollRequest.encode({
              token: r.token,
              csrPem: r.csrPem,
              host: { hostname: r.hostname, os: 'linux', osVersion: '', agentVersion: '' },
            }).finish(),
          ),
        );
      const renewRequest = hostileText.map((csrPem) => Buffer.from(RenewRequest.encode({ csrPem }).finish()));
      // Renew may still answer UNIMPLEMENTED; a refused request of either is the caller's fault, never the manager's.
      const refusals = [
        status.INVALID_ARGUMENT,
        status.UNAUTHENTICATED,
        status.PERMISSION_DENIED,
        status.FAILED_PRECONDITION,
        status.RESOURCE_EXHAUSTED,
        status.UNIMPLEMENTED,
      ];
      for (const tls of [withCert, withoutCert]) {
        const client = new RawAgentClient(running.manager.grpcPort, tls);
        try {
          await fc.assert(
            fc.asyncProperty(
              fc.oneof(randomPayload, enrollRequest, mutationsOf(enrollRequest)),
              fc.oneof(randomPayload, renewRequest, mutationsOf(renewRequest)),
              async (enroll, renew) => {
                expectClear('enroll', await client.unary('enroll', enroll), refusals);
                expectClear('renew', await client.unary('renew', renew), refusals);
              },
            ),
            runs(40),
          );
        } finally {
          client.close();
        }
      }
      const agentsAfter = ((await (await get('/api/v1/agents?limit=500')).json()) as { items: unknown[] }).items.length;
      expect(agentsAfter).toBe(agentsBefore);
      expect(errorLogs()).toEqual([]);
    },
    TIMEOUT_MS,
  );

  it(
    'answers gRPC frames whose header lies (length, compressed flag, encoding) with a status, never a hang',
    async () => {
      const frame = fc
        .tuple(
          fc.oneof(fuzzedAgentMessage, randomPayload),
          fc.constantFrom(0, 0, 1, 2, 255),
          fc.oneof(fc.constant(undefined), fc.nat(64), fc.constantFrom(0, 2 ** 24, 2 ** 32 - 1)),
          fc.nat(6),
        )
        .map(([payload, compressed, length, cut]) => grpcFrame(payload, { compressed, length }).subarray(cut));
      const request = fc.record({
        path: fc.constantFrom(SESSION, ENROLL, RENEW, '/wardwatch.agent.v1.AgentService/Nope', '/x'),
        frames: fc.array(frame, { minLength: 1, maxLength: 3 }),
        encoding: fc.constantFrom(undefined, 'gzip', 'deflate', 'identity', 'snappy'),
      });
      await fc.assert(
        fc.asyncProperty(request, async (r) => {
          const headers: Record<string, string> = r.encoding ? { 'grpc-encoding': r.encoding } : {};
          const outcome = await http2Call(running.manager.grpcPort, withCert, r.path, Buffer.concat(r.frames), headers);
          const code = outcome.hang ? HANG : (outcome.grpcStatus ?? NO_STATUS);
          note(`framing ${r.path.split('/').pop()}${outcome.reset ? ' reset' : ''}`, code);
          const said = `${r.path} ended ${name(code)} "${outcome.grpcMessage}" (http ${outcome.httpStatus})`;
          if (outcome.hang) throw new Error(`hang: ${said}`);
          if (code === NO_STATUS && !outcome.reset) throw new Error(`no gRPC status: ${said}`);
          if (code === UNKNOWN || STACK.test(outcome.grpcMessage)) throw new Error(`unclear: ${said}`);
          // grpc-js's own answer to a body that is not in its declared encoding; none other is INTERNAL.
          if (code === INTERNAL && !/decompress/i.test(outcome.grpcMessage)) throw new Error(`internal: ${said}`);
        }),
        runs(60),
      );
      expect(errorLogs()).toEqual([]);
    },
    TIMEOUT_MS,
  );

  it(
    'survives garbage on bare TLS and TCP connections, and a garbled HTTP/2 preface',
    async () => {
      const preface = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');
      const garbage = fc.record({
        bytes: fc.oneof(
          randomPayload,
          randomPayload.map((b) => Buffer.concat([preface, b])),
        ),
        overTls: fc.boolean(),
      });
      const outcomes = [];
      const samples = fc.sample(garbage, { numRuns: FUZZ_RUNS ?? 40, seed: SEED });
      // Ten at a time: hundreds of handshakes at once would measure the machine, not the manager.
      for (let i = 0; i < samples.length; i += 10)
        outcomes.push(
          ...(await Promise.all(
            samples
              .slice(i, i + 10)
              .map(({ bytes, overTls }) =>
                garbageSocket(running.manager.grpcPort, bytes, overTls ? withCert : undefined, 2_000),
              ),
          )),
        );
      const closed = outcomes.filter((o) => o.closedByServer).length;
      // The rest wait for more bytes of a record or frame they began, until the handshake or idle timeout.
      seen.set('garbage connections closed by the manager', closed);
      seen.set('garbage connections still open after 2 s', outcomes.length - closed);
      expect(errorLogs()).toEqual([]);
    },
    TIMEOUT_MS,
  );

  it(
    'still answers a health check and a normal Session, stored nothing malformed, kept its memory',
    async () => {
      const get = await adminGet(running.manager);
      expect(Health.parse(await (await get('/api/v1/health')).json()).status).toBe('ok');
      expect((await get('/health/ready')).status).toBe(200);

      const honest = await enrollTestAgent(running.manager);
      const session = honest.open();
      session.send(hello());
      session.send(eventBatch(1, [honestEvent('after-the-fuzz')]));
      await session.waitFor((got) => acks(got).includes(1));
      session.close();
      honest.close();

      // What the fuzzed agent got stored reads back through the API's own schemas.
      AgentView.parse(await (await get(`/api/v1/agents/${agent.agentId}`)).json());
      const events = EventPage.parse(await (await get(`/api/v1/events?agentId=${agent.agentId}&limit=500`)).json());
      for (const event of events.items) expect(event.agentId).toBe(agent.agentId);
      ScorePage.parse(await (await get(`/api/v1/scores?agentId=${agent.agentId}&limit=500`)).json());

      expect(errorLogs()).toEqual([]);
      const growth = process.memoryUsage().rss - rssBefore;
      console.log(
        `gRPC fuzz: RSS grew by ${Math.round(growth / 1024 / 1024)} MB; ${events.items.length} events stored`,
      );
      expect(growth).toBeLessThan(MAX_RSS_GROWTH_BYTES);
    },
    TIMEOUT_MS,
  );
});
