// The agents' gRPC port for real: TLS server on 127.0.0.1:0, the generated client,
// enrollment tokens from the real service, certificates from the real CA.
import { createHash, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { credentials, Metadata, status, type ServiceError } from '@grpc/grpc-js';
import {
  AgentServiceClient,
  Severity,
  type AgentMessage,
  type ComponentHealth,
  type EnrollResponse,
  type ManagerMessage,
} from '@wardwatch/proto';
import { AgentPage, AgentView } from '@wardwatch/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentService } from '../agents/agent.service';
import { Clock } from '../common/clock';
import { EnrollmentTokenService } from '../enrollment/enrollment-token.service';
import { EventQueryService } from '../events/event-query.service';
import { IntakeCounters } from '../intake/intake.counters';
import { createCa, signAgentCsr } from '../pki/certificate-authority';
import type { TestDatabase } from '../testing/test-databases.fixture';
import { testEngines } from '../testing/test-engines.fixture';
import { adminGet, makeKeyAndCsr, startTestManager, type TestManager } from '../testing/test-manager.fixture';

const host = { hostname: 'ward3-ws12', os: 'linux', osVersion: '6.1', agentVersion: '0.1.0' };

describe.each(testEngines)('agent gRPC service on $name', ({ make, skip }) => {
  let database: TestDatabase;
  let manager: TestManager;
  let tokens: EnrollmentTokenService;
  let address: string;
  const clients: AgentServiceClient[] = [];

  const tlsClient = (identity?: { privateKeyPem: string; certificatePem: string }) => {
    const ca = Buffer.from(caPem);
    const creds = identity
      ? credentials.createSsl(ca, Buffer.from(identity.privateKeyPem), Buffer.from(identity.certificatePem))
      : credentials.createSsl(ca);
    const client = new AgentServiceClient(address, creds);
    clients.push(client);
    return client;
  };
  let caPem = '';

  const enroll = (token: string, csrPem: string) =>
    new Promise<{ error: ServiceError | null; response?: EnrollResponse }>((resolve) =>
      tlsClient().enroll(
        { token, csrPem, host },
        new Metadata(),
        { deadline: Date.now() + 10_000 },
        (error, response) => resolve({ error, response }),
      ),
    );

  /** Opens a session, sends the messages, and collects what comes back until `until` says stop or the stream ends. */
  const session = (client: AgentServiceClient, messages: AgentMessage[], until: (got: ManagerMessage[]) => boolean) =>
    new Promise<{ got: ManagerMessage[]; error?: ServiceError }>((resolve) => {
      const call = client.session({ deadline: Date.now() + 10_000 });
      const got: ManagerMessage[] = [];
      const finish = (error?: ServiceError) => {
        call.cancel();
        resolve({ got, error });
      };
      call.on('data', (m: ManagerMessage) => {
        got.push(m);
        if (until(got)) finish();
      });
      call.on('error', (error: ServiceError) => resolve({ got, error }));
      call.on('end', () => resolve({ got }));
      for (const m of messages) call.write(m);
      if (until(got)) finish();
    });

  const enrolled = async () => {
    const { token } = await tokens.create(10, 'test');
    const keys = await makeKeyAndCsr();
    const { error, response } = await enroll(token, keys.csrPem);
    expect(error).toBeNull();
    return { ...keys, certificatePem: response!.certificatePem, agentId: response!.agentId };
  };

  beforeAll(async () => {
    if (skip) return;
    database = make();
    // Local-key mode on purpose: enrollment hands out the site key here (OPRF: pseudonym-oracle/).
    manager = await startTestManager({ database: database.config, env: { WARDWATCH_PSEUDONYM_MODE: 'local-key' } });
    tokens = manager.app.get(EnrollmentTokenService);
    address = `127.0.0.1:${manager.grpcPort}`;
    caPem = readFileSync(join(manager.config.dataDir, 'pki', 'ca.cert.pem'), 'utf8');
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    await manager?.stop();
    await database?.dispose();
  });

  it.skipIf(skip)(
    'enrolls with a valid token: a client certificate for CN=<agent id> signed by the CA, and the pseudonym key',
    async () => {
      const { token } = await tokens.create(10, 'test');
      const keys = await makeKeyAndCsr();
      const { error, response } = await enroll(token, keys.csrPem);
      expect(error).toBeNull();
      const cert = new X509Certificate(response!.certificatePem);
      const ca = new X509Certificate(response!.caCertificatePem);
      expect(cert.verify(ca.publicKey)).toBe(true);
      expect(cert.subject).toBe(`CN=${response!.agentId}`);
      expect(cert.keyUsage).toContain('1.3.6.1.5.5.7.3.2'); // clientAuth
      expect(`sha256:${createHash('sha256').update(ca.raw).digest('hex')}`).toBe(manager.caFingerprint);
      expect(response!.pseudonymKey).toHaveLength(32);
      const agent = await manager.app.get(AgentService).get(response!.agentId);
      expect(agent).toMatchObject({ hostname: 'ward3-ws12', status: 'offline' });
    },
  );

  it.skipIf(skip)(
    'refuses a used, an expired, an unknown and a missing token with UNAUTHENTICATED and a clear message',
    async () => {
      const { token } = await tokens.create(10, 'test');
      const first = await makeKeyAndCsr();
      expect((await enroll(token, first.csrPem)).error).toBeNull();
      const used = await enroll(token, (await makeKeyAndCsr()).csrPem);
      expect(used.error).toMatchObject({ code: status.UNAUTHENTICATED, details: 'enrollment token already used' });

      const clock = manager.app.get(Clock);
      const realNow = clock.now.bind(clock);
      const { token: shortLived } = await tokens.create(1, 'test');
      clock.now = () => realNow() + 2 * 60_000;
      try {
        const expired = await enroll(shortLived, first.csrPem);
        expect(expired.error).toMatchObject({ code: status.UNAUTHENTICATED, details: 'enrollment token expired' });
      } finally {
        clock.now = realNow;
      }
      expect((await enroll('wwet_never-issued', first.csrPem)).error).toMatchObject({
        code: status.UNAUTHENTICATED,
        details: 'unknown enrollment token',
      });
      expect((await enroll('', first.csrPem)).error).toMatchObject({
        code: status.UNAUTHENTICATED,
        details: 'an enrollment token is required',
      });
    },
  );

  it.skipIf(skip)('refuses a request that is not a CSR, and leaves the token unused', async () => {
    const { token } = await tokens.create(10, 'test');
    expect((await enroll(token, 'not a csr')).error?.code).toBe(status.INVALID_ARGUMENT);
    expect((await enroll(token, (await makeKeyAndCsr()).csrPem)).error).toBeNull();
  });

  it.skipIf(skip)('refuses a session without a client certificate', async () => {
    const { error } = await session(
      tlsClient(),
      [{ body: { $case: 'hello', value: { commandKeyIds: [], agentVersion: 'x', host } } }],
      () => false,
    );
    expect(error?.code).toBe(status.UNAUTHENTICATED);
  });

  it.skipIf(skip)('refuses a session with a certificate from another CA, even for a known agent id', async () => {
    const { agentId } = await enrolled();
    const otherCa = await createCa(Date.now(), 'Someone Else CA');
    const keys = await makeKeyAndCsr();
    const forged = await signAgentCsr(otherCa, keys.csrPem, agentId, Date.now());
    const { error } = await session(
      tlsClient({ privateKeyPem: keys.privateKeyPem, certificatePem: forged }),
      [{ body: { $case: 'hello', value: { commandKeyIds: [], agentVersion: 'x', host } } }],
      () => false,
    );
    expect(error?.code).toBe(status.UNAUTHENTICATED);
  });

  it.skipIf(skip)(
    'accepts the issued certificate: hello marks online, a batch is stored and acknowledged, a resent batch is harmless',
    async () => {
      const identity = await enrolled();
      const client = tlsClient(identity);
      const events = Array.from({ length: 3 }, (_, i) => ({
        id: `ev-${i}`,
        timeMs: Date.now() - i,
        sequence: i + 1,
        severity: i === 0 ? Severity.SEVERITY_HIGH : Severity.SEVERITY_INFO,
        user: 'u_0000000000000001',
        detail: {
          $case: 'file' as const,
          value: {
            action: 'create',
            path: 'p_phi_d1_0000000000000001.txt',
            previousPath: '',
            folderClass: 'phi',
            extension: '.txt',
            depth: 1,
            sizeBytes: 1,
            entropy: -1,
            owner: '',
            process: '',
            pid: 0,
          },
        },
      }));
      const batch: AgentMessage = { body: { $case: 'events', value: { sequence: 7, events, dropped: {} } } };
      // One malformed event (no detail) is refused on its own; the rest of its batch is stored and acknowledged.
      const withBad: AgentMessage = {
        body: {
          $case: 'events',
          value: {
            sequence: 8,
            events: [
              { ...events[1], id: 'bad-1', detail: undefined },
              { ...events[1], id: 'ev-3' },
            ],
            dropped: {},
          },
        },
      };
      const hello: AgentMessage = {
        body: {
          $case: 'hello',
          value: { commandKeyIds: [], agentVersion: '0.1.1', host: { ...host, agentVersion: '0.1.1' } },
        },
      };
      const heartbeat: AgentMessage = {
        body: {
          $case: 'heartbeat',
          value: {
            timeMs: Date.now(),
            stats: {
              eventsSent: 3,
              eventsDropped: 1,
              queueLength: 2,
              cpuPercent: 1.5,
              rssBytes: 50_000_000,
              droppedByReason: {},
              outboxBytes: 0,
            },
            components: [],
          },
        },
      };
      // Messages are handled in order, so by the third ack the heartbeat is stored too.
      const first = await session(client, [hello, heartbeat, batch, batch, withBad], (got) => got.length >= 3);
      expect(first.error).toBeUndefined();
      expect(first.got.map((m) => m.body?.$case === 'ack' && m.body.value.sequence)).toEqual([7, 7, 8]);
      const stored = await manager.app.get(EventQueryService).page({ agentId: identity.agentId, limit: 10 });
      expect(stored.items.map((e) => e.id).sort()).toEqual(['ev-0', 'ev-1', 'ev-2', 'ev-3']);
      expect(manager.logs.some((l) => l.msg === 'events rejected' && l.agentId === identity.agentId)).toBe(true);
      const agent = await manager.app.get(AgentService).get(identity.agentId);
      expect(agent.version).toBe('0.1.1');
      expect(agent.lastSeenAt).not.toBeNull();
      expect(agent.stats).toMatchObject({ eventsSent: 3, eventsDropped: 1, queueLength: 2 });
      // The stream was ended by the client: the agent is offline again.
      await expect
        .poll(async () => (await manager.app.get(AgentService).get(identity.agentId)).status, { timeout: 5_000 })
        .toBe('offline');
    },
  );

  it.skipIf(skip)(
    "shows a heartbeat's components, drops, outbox and reads on GET /api/v1/agents; counts one out of bounds",
    async () => {
      const identity = await enrolled();
      const client = tlsClient(identity);
      const beat = (components: ComponentHealth[], droppedByReason: Record<string, number>): AgentMessage => ({
        body: {
          $case: 'heartbeat',
          value: {
            timeMs: Date.now(),
            stats: {
              eventsSent: 120,
              eventsDropped: 7,
              queueLength: 31,
              cpuPercent: 2.5,
              rssBytes: 80_000_000,
              droppedByReason,
              outboxBytes: 65_536,
              reads,
            },
            components,
          },
        },
      });
      const failed = { name: 'collector.logins', state: 'failed', message: 'EACCES: /var/log/auth.log', sinceMs: 11 };
      const components = [{ name: 'collector.files', state: 'running', message: '', sinceMs: 10 }, failed];
      const drops = { 'queue_full.low.file': 5, 'rate_limit.low.process': 2 };
      const reads = { seen: 900, reported: 310, repeated: 560, unattended: 20, ignoredExecutable: 10, overLimit: 0 };
      const hello: AgentMessage = {
        body: { $case: 'hello', value: { commandKeyIds: [], agentVersion: '0.1.0', host } },
      };
      // An ack after the heartbeat shows it was handled (messages are handled in order).
      const ackAfter: AgentMessage = { body: { $case: 'events', value: { sequence: 1, events: [], dropped: {} } } };
      const first = await session(client, [hello, beat(components, drops), ackAfter], (got) => got.length >= 1);
      expect(first.error).toBeUndefined();

      const get = await adminGet(manager);
      const one = AgentView.parse(await (await get(`/api/v1/agents/${identity.agentId}`)).json());
      expect(one.health).toMatchObject({
        eventsSent: 120,
        eventsDropped: 7,
        queueLength: 31,
        outboxBytes: 65_536,
        droppedByReason: drops,
        components,
        reads,
      });
      const listed = AgentPage.parse(await (await get('/api/v1/agents')).json());
      expect(listed.items.find((a) => a.id === identity.agentId)?.health?.components).toEqual(components);

      // 33 drop reasons: refused from the wire and the stream ended; a state outside the three:
      // not stored. Both counted; what was stored stays.
      const counters = manager.app.get(IntakeCounters);
      const before = counters.get('heartbeat_invalid');
      const tooMany = Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`queue_full.low.c${i}`, 1]));
      const refused = await session(client, [hello, beat(components, tooMany)], () => false);
      expect(refused.error?.code).toBe(status.RESOURCE_EXHAUSTED);
      expect(refused.error?.details).toContain('heartbeat names 33 drop reasons; at most 32');
      const hostileState = [{ ...failed, state: '<script>' }];
      const second = await session(client, [hello, beat(hostileState, {}), ackAfter], (got) => got.length >= 1);
      expect(second.error).toBeUndefined();
      expect(counters.get('heartbeat_invalid')).toBe(before + 2);
      const after = AgentView.parse(await (await get(`/api/v1/agents/${identity.agentId}`)).json());
      expect(after.health?.droppedByReason).toEqual(drops);
      expect(after.health?.components).toEqual(components);
      expect(manager.logs.filter((l) => l.msg === 'heartbeat health not stored')).toHaveLength(1);
    },
  );

  it.skipIf(skip)('drops the live stream of a revoked agent and refuses it afterwards', async () => {
    const identity = await enrolled();
    const client = tlsClient(identity);
    const call = client.session();
    const ended = new Promise<ServiceError>((resolve) => call.on('error', resolve));
    call.on('data', () => undefined);
    call.write({ body: { $case: 'hello', value: { commandKeyIds: [], agentVersion: '0.1.0', host } } });
    const agents = manager.app.get(AgentService);
    await expect.poll(async () => (await agents.get(identity.agentId)).status, { timeout: 5_000 }).toBe('online');
    await agents.revoke(identity.agentId, 'admin');
    expect((await ended).code).toBe(status.PERMISSION_DENIED);
    const again = await session(
      tlsClient(identity),
      [{ body: { $case: 'hello', value: { commandKeyIds: [], agentVersion: 'x', host } } }],
      () => false,
    );
    expect(again.error).toMatchObject({ code: status.PERMISSION_DENIED, details: 'this agent has been revoked' });
  });
});
