// Renewal against a real grpc-js server over mutual TLS (the agent-side stand-in
// for the manager, transport/test-manager.fixture.ts), with certificates of a few
// seconds, real files in a temp data folder and real timers.
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { credentials, status, type ServiceError } from '@grpc/grpc-js';
import { AgentServiceClient, type ManagerMessage } from '@wardwatch/proto';
import { Backoff } from '@wardwatch/shared';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createKeyAndCsr } from '../enrollment/csr';
import { pemFingerprint } from '../enrollment/fetch-ca';
import { createTestPki, type TestPki } from '../enrollment/test-pki.fixture';
import { IdentityStore, type AgentIdentity } from '../identity/identity-store';
import { createMemoryLogger } from '../logging/logger';
import { MemoryOutbox } from '../outbox/memory-outbox';
import { fileEvent } from '../outbox/test-events.fixture';
import { callRenew, createSessionClient } from '../transport/grpc-clients';
import { ManagerSession } from '../transport/manager-session';
import { CommandKeyStore } from '../response/command-keys/command-key-store';
import { makeCommandKey } from '../response/response-test-kit.fixture';
import { TestManager, until } from '../transport/test-manager.fixture';
import { CertificateRenewer, checkRenewal, RenewalAnswerRejected } from './certificate-renewer';
import { certificateValidity } from './certificate-validity';

const LIFETIME_MS = 6_000;

let pki: TestPki;
const cleanups: (() => Promise<void> | void)[] = [];
beforeAll(async () => {
  pki = await createTestPki();
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startManager(): Promise<TestManager> {
  const manager = new TestManager(pki);
  manager.certificateLifetimeMs = LIFETIME_MS;
  await manager.listen();
  cleanups.push(() => manager.stop());
  return manager;
}

/** An enrolled agent's identity with a certificate of `lifetimeMs`, saved in a fresh data folder. */
async function enrolledIdentity(manager: TestManager, lifetimeMs = LIFETIME_MS) {
  const dataDir = mkdtempSync(join(tmpdir(), 'ww-renew-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const key = await createKeyAndCsr('ws12');
  const identity: AgentIdentity = {
    agentId: 'agent-7',
    managerAddress: `127.0.0.1:${manager.port}`,
    caFingerprint: pemFingerprint(pki.caPem),
    enrolledAt: Date.now(),
    privateKeyPem: key.privateKeyPem,
    certificatePem: await pki.signCsr(key.csrPem, 'agent-7', lifetimeMs),
    caPem: pki.caPem,
    pseudonymKey: Buffer.alloc(32, 3),
  };
  const store = new IdentityStore(dataDir);
  store.save(identity);
  return { identity, store, dataDir };
}

function startRenewer(manager: TestManager, identity: AgentIdentity, store: IdentityStore) {
  const logger = createMemoryLogger();
  const state = { current: identity, calls: 0 };
  const commandKeys = new CommandKeyStore(store.dataDir);
  const renewer = new CertificateRenewer({
    identity,
    store,
    callRenew: (current, csrPem) => {
      state.calls += 1;
      return callRenew(`127.0.0.1:${manager.port}`, current, csrPem, 5_000);
    },
    onRenewed: (renewed) => {
      state.current = renewed;
    },
    onCommandKeys: (keys) => commandKeys.pinFromRenewal(keys),
    logger,
    backoff: new Backoff({ baseMs: 200, maxMs: 800 }),
    minRetryMs: 200,
  });
  renewer.start();
  cleanups.push(() => renewer.stop());
  return { renewer, logger, state, commandKeys };
}

/** A Session stream straight from a client: resolves with the refusal, or undefined once accepted. */
function openSession(manager: TestManager, identity: AgentIdentity): Promise<ServiceError | undefined> {
  const client = new AgentServiceClient(
    `127.0.0.1:${manager.port}`,
    credentials.createSsl(
      Buffer.from(identity.caPem),
      Buffer.from(identity.privateKeyPem),
      Buffer.from(identity.certificatePem),
    ),
  );
  return new Promise<ServiceError | undefined>((resolve) => {
    const call = client.session();
    call.on('error', (error: ServiceError) => resolve(error));
    call.on('data', (_m: ManagerMessage) => undefined);
    call.write({ body: { $case: 'hello', value: { commandKeyIds: [], agentVersion: '0.1.0', host: undefined } } });
    setTimeout(() => {
      call.cancel();
      resolve(undefined);
    }, 700);
  }).finally(() => client.close());
}

describe('CertificateRenewer', () => {
  it('renews a certificate of seconds at two thirds of its life, saves the pair atomically at 0600, and the Session connects with it after the old one expired', async () => {
    const manager = await startManager();
    // An agent enrolled before command keys existed pins them from its renewal.
    const commandKey = makeCommandKey().commandKey;
    manager.commandKeys = [commandKey];
    const { identity, store, dataDir } = await enrolledIdentity(manager);
    const original = certificateValidity(identity.certificatePem);
    const { renewer, state, logger, commandKeys } = startRenewer(manager, identity, store);
    const before = renewer.status();
    expect(before).toMatchObject({ notAfter: original.notAfter, renewal: 'scheduled', lastRenewedAt: null });
    expect(before.renewAt).toBe(original.notBefore + Math.floor(((original.notAfter - original.notBefore) * 2) / 3));

    await until(() => manager.renewed.length === 1, 'the renewal');
    const renewedAt = Date.now();
    expect(renewedAt).toBeGreaterThanOrEqual(before.renewAt);
    expect(renewedAt).toBeLessThan(original.notAfter);
    await until(() => state.current !== identity, 'the new identity');
    expect(commandKeys.ids()).toEqual([commandKey.keyId]);
    expect(new CommandKeyStore(dataDir).ids()).toEqual([commandKey.keyId]);

    // On disk: the new pair, owner-only, and nothing half-written left behind.
    const saved = store.load();
    expect(saved.certificatePem).toBe(state.current.certificatePem);
    expect(saved.privateKeyPem).toBe(state.current.privateKeyPem);
    expect(saved.certificatePem).not.toBe(identity.certificatePem);
    expect(saved.privateKeyPem).not.toBe(identity.privateKeyPem);
    for (const file of ['agent-key.pem', 'agent-cert.pem'])
      expect(statSync(join(dataDir, file)).mode & 0o777).toBe(0o600);
    expect(readdirSync(dataDir).filter((f) => f.endsWith('.tmp') || f.startsWith('renewal-pending'))).toEqual([]);
    const renewedValidity = certificateValidity(saved.certificatePem);
    expect(renewedValidity.notAfter).toBeGreaterThan(original.notAfter);
    expect(renewer.status()).toMatchObject({
      notAfter: renewedValidity.notAfter,
      renewal: 'scheduled',
      lastError: null,
    });
    expect(renewer.status().lastRenewedAt).toBeGreaterThanOrEqual(before.renewAt);
    expect(logger.lines.map((l) => l.msg)).toContain('agent certificate renewed');

    // Past the original's expiry: the manager refuses it, and a session made the way
    // run-agent makes it (the current identity at connect time) is accepted.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, original.notAfter - Date.now()) + 300));
    expect((await openSession(manager, identity))?.code).toBe(status.UNAUTHENTICATED);
    const outbox = new MemoryOutbox({ capacity: 10, firstSequence: 1 });
    const session = new ManagerSession({
      managerAddress: `127.0.0.1:${manager.port}`,
      createClient: () => createSessionClient(`127.0.0.1:${manager.port}`, state.current),
      outbox,
      hello: {
        commandKeyIds: [],
        agentVersion: '0.1.0',
        host: { hostname: 'ws12', os: 'linux', osVersion: '6', agentVersion: '0.1.0' },
      },
      stats: () => ({
        eventsSent: 0,
        eventsDropped: 0,
        queueLength: 0,
        droppedByReason: {},
        outboxBytes: 0,
        cpuPercent: 0,
        rssBytes: 0,
      }),
      logger: createMemoryLogger(),
      backoff: new Backoff({ baseMs: 100, maxMs: 200 }),
      heartbeatMs: 60_000,
      flushDelayMs: 10,
    });
    cleanups.push(() => session.stop(0));
    outbox.push(fileEvent('after-expiry'));
    session.start();
    await until(
      () => manager.events().includes('after-expiry') && outbox.stats().queued === 0,
      'the batch acknowledged',
    );
  }, 20_000);

  it('retries a failed renewal with backoff and says so; a refusal is logged as an error with what to do', async () => {
    const manager = await startManager();
    manager.renewRefusals.push(
      { code: status.UNAVAILABLE, details: 'the manager is busy' },
      { code: status.PERMISSION_DENIED, details: 'this agent has been revoked' },
    );
    const { identity, store } = await enrolledIdentity(manager);
    const { renewer, logger, state } = startRenewer(manager, identity, store);
    await until(() => renewer.status().renewal === 'retrying', 'the first failure');
    expect(renewer.status().lastError).toMatch(/busy/);
    await until(() => manager.renewed.length === 1, 'the renewal after two failures');
    await until(() => renewer.status().lastError === null, 'the status to clear');
    expect(state.calls).toBe(3);
    const failures = logger.lines.filter((l) => /retrying/.test(String(l.msg)));
    expect(failures.map((l) => [l.level, l.msg])).toEqual([
      ['warn', 'certificate renewal failed, retrying'],
      ['error', 'the manager refused to renew the agent certificate, retrying'],
    ]);
    expect(String(failures[1].hint)).toMatch(/enroll it again/);
    expect(failures[0].retryInMs).toBeGreaterThanOrEqual(200);
    expect(store.load().certificatePem).toBe(state.current.certificatePem);
  });

  it('does not try to renew an expired certificate and says the agent must be enrolled again', async () => {
    const manager = await startManager();
    const { identity, store } = await enrolledIdentity(manager, 1_500);
    await new Promise((resolve) => setTimeout(resolve, 1_600));
    const { renewer, logger, state } = startRenewer(manager, identity, store);
    expect(renewer.status().renewal).toBe('expired');
    expect(renewer.status().lastError).toMatch(/expired at/);
    expect(logger.lines).toContainEqual(
      expect.objectContaining({
        level: 'error',
        msg: 'the agent certificate has expired and cannot be renewed: the agent must be enrolled again',
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(state.calls).toBe(0);
    expect(store.load().certificatePem).toBe(identity.certificatePem);
  });

  it('keeps the old pair when the answer is not for its new key, its agent or from the pinned CA', async () => {
    const manager = await startManager();
    const { identity } = await enrolledIdentity(manager);
    const key = await createKeyAndCsr('ws12');
    const other = await createKeyAndCsr('ws12');
    const stranger = await createTestPki('Another CA');
    const good = {
      commandKeys: [],
      certificatePem: await pki.signCsr(key.csrPem, 'agent-7'),
      caCertificatePem: pki.caPem,
    };
    expect(() => checkRenewal(good, identity, key.privateKeyPem)).not.toThrow();
    const cases = [
      { certificatePem: await pki.signCsr(other.csrPem, 'agent-7'), caCertificatePem: '', commandKeys: [] },
      { certificatePem: await pki.signCsr(key.csrPem, 'agent-8'), caCertificatePem: '', commandKeys: [] },
      { certificatePem: await stranger.signCsr(key.csrPem, 'agent-7'), caCertificatePem: '', commandKeys: [] },
      { ...good, caCertificatePem: stranger.caPem, commandKeys: [] },
      { certificatePem: 'garbage', caCertificatePem: '', commandKeys: [] },
    ];
    for (const answer of cases)
      expect(() => checkRenewal(answer, identity, key.privateKeyPem)).toThrow(RenewalAnswerRejected);
  });
});
