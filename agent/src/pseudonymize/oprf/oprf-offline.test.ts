// OPRF mode end to end on the agent's side, over real mutual TLS to a real gRPC server that
// evaluates with a key the agent never sees: enrolled without a key, the manager down, events
// with unknown values wait (on disk, surviving a restart) and nothing is queued for sending;
// the manager back, their tokens arrive, the events leave pseudonymised with exactly the
// tokens the key gives, and no clear value ever reached the outbox or the wire. The cache
// saved at stop answers a known value offline after the next start.
import type { Event } from '@wardwatch/proto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fetchPinnedCa, pemFingerprint } from '../../enrollment/fetch-ca';
import { createKeyAndCsr } from '../../enrollment/csr';
import { enrollAgent } from '../../enrollment/enroll';
import { createTestPki, type TestPki } from '../../enrollment/test-pki.fixture';
import type { AgentIdentity } from '../../identity/identity-store';
import { createMemoryLogger } from '../../logging/logger';
import { MemoryOutbox } from '../../outbox/memory-outbox';
import { loginEvent } from '../../outbox/test-events.fixture';
import { EventPipeline } from '../../pipeline/event-pipeline';
import { PENDING_EVENTS_FILE } from './pending-events';
import { RecentEvents } from '../../pipeline/recent-events';
import { StatusTracker } from '../../status/status-tracker';
import { callEnroll, createSessionClient } from '../../transport/grpc-clients';
import { TestManager, until } from '../../transport/test-manager.fixture';
import { Pseudonymizer } from '../pseudonymizer';
import { OPRF_CACHE_FILE } from './cache-file';
import { pseudonymMode } from './pseudonym-mode';
import { expected, secretKey } from './oprf-test-kit.fixture';

let pki: TestPki;
const cleanups: (() => Promise<void> | void)[] = [];
beforeAll(async () => {
  pki = await createTestPki();
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startManager(port = 0): Promise<TestManager> {
  const manager = new TestManager(pki);
  manager.oprfKey = secretKey;
  await manager.listen(port);
  cleanups.push(() => manager.stop());
  return manager;
}

async function enroll(port: number): Promise<AgentIdentity> {
  const address = `127.0.0.1:${port}`;
  const caFingerprint = pemFingerprint(pki.caPem);
  return enrollAgent(
    {
      managerAddress: address,
      caFingerprint,
      token: 'wwet_good',
      host: { hostname: 'ws12', os: 'linux', osVersion: '6', agentVersion: '0.1.0' },
    },
    {
      fetchCa: () => fetchPinnedCa({ host: '127.0.0.1', port, expectedFingerprint: caFingerprint, timeoutMs: 5_000 }),
      createKeyAndCsr,
      callEnroll: (caPem, request) => callEnroll(address, caPem, request, 5_000),
      save: () => undefined,
      now: Date.now,
    },
  );
}

/** One start of the agent's pseudonymising half: mode, pipeline and outbox on `dataDir`. */
function startAgent(identity: AgentIdentity, port: number, dataDir: string) {
  const client = createSessionClient(`127.0.0.1:${port}`, identity);
  const mode = pseudonymMode({
    pseudonymKey: identity.pseudonymKey,
    dataDir,
    client: () => client,
    logger: createMemoryLogger(),
  });
  const outbox = new MemoryOutbox({ capacity: 100, firstSequence: 1 });
  const pipeline = new EventPipeline({
    pseudonymizer: new Pseudonymizer(mode.source),
    outbox,
    recent: new RecentEvents(),
    status: new StatusTracker({ version: '0.1.0', managerAddress: 'm', outboxStats: () => outbox.stats() }),
    logger: createMemoryLogger(),
    onQueued: () => undefined,
    pending: mode.pending,
  });
  mode.start(() => pipeline.release());
  const stop = () => {
    mode.stop();
    client.close();
  };
  cleanups.push(stop);
  return { mode, pipeline, outbox, stop, queued: () => outbox.takeBatch(100)?.events ?? [] };
}

function nurseLogin(id: string): Event {
  const event = loginEvent(id);
  event.user = 'HOSPITAL\\nurse.jones';
  if (event.detail?.$case === 'login') event.detail.value.sourceIp = '203.0.113.7';
  return event;
}

describe('OPRF mode on the agent', () => {
  it('holds events while the manager is down, across a restart, and sends them tokenised when it is back', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ww-oprf-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const first = await startManager();
    const port = first.port;
    const identity = await enroll(port);
    expect(identity.pseudonymKey).toHaveLength(0);
    await first.stop();

    // Manager down: the events wait, on disk and owner-only; nothing is queued to send.
    const before = startAgent(identity, port, dataDir);
    before.pipeline.emit(nurseLogin('e1'));
    before.pipeline.emit(nurseLogin('e2'));
    const root = loginEvent('e3');
    root.user = 'root'; // an OS account stays in clear: no token needed, sent at once
    before.pipeline.emit(root);
    expect(before.queued().map((e) => [e.id, e.user])).toEqual([['e3', 'root']]);
    expect(before.mode.pending?.size).toBe(2);
    const pendingFile = join(dataDir, PENDING_EVENTS_FILE);
    expect(statSync(pendingFile).mode & 0o777).toBe(0o600);
    await new Promise((resolve) => setTimeout(resolve, 300)); // a failed call or two
    expect(before.mode.pending?.size).toBe(2);
    before.stop();

    // Restarted, still offline: the waiting events are read back.
    const after = startAgent(identity, port, dataDir);
    expect(after.mode.pending?.size).toBe(2);

    // Manager back on the same address: tokens arrive and the events leave, pseudonymised.
    const back = await startManager(port);
    let sent: Event[] = [];
    await until(() => (sent = [...sent, ...after.queued()]).length === 2, 'the held-back events', 20_000);
    expect(sent.map((e) => e.id)).toEqual(['e1', 'e2']);
    const user = expected('u', 'user', 'nurse.jones');
    const ip = expected('ip', 'ip', '203.0.113.7');
    for (const event of sent) {
      expect(event.user).toBe(user);
      expect(event.detail?.$case === 'login' && event.detail.value.sourceIp).toBe(ip);
    }
    expect(JSON.stringify(sent)).not.toMatch(/nurse|jones|203\.0\.113/i);
    // The manager saw blinded elements only: each a fresh group element, never the value's bytes.
    expect(back.evaluated.length).toBeGreaterThanOrEqual(2);
    for (const element of back.evaluated) {
      expect(element).toHaveLength(32);
      expect(element.toString('latin1')).not.toMatch(/nurse|jones|203/);
    }
    expect(after.mode.pending?.size).toBe(0);
    expect(readFileSync(pendingFile)).toHaveLength(0);
    after.stop();

    // The cache saved at stop (0600) answers the same values offline after the next start.
    expect(statSync(join(dataDir, OPRF_CACHE_FILE)).mode & 0o777).toBe(0o600);
    await back.stop();
    const offline = startAgent(identity, port, dataDir);
    offline.pipeline.emit(nurseLogin('e4'));
    expect(offline.queued().map((e) => e.user)).toEqual([user]);
    expect(existsSync(pendingFile)).toBe(true);
  }, 40_000);
});
