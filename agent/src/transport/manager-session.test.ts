// The session and enrollment against a real grpc-js server over TLS, built from
// the generated AgentServiceService (a stand-in for the manager, not a mock of
// our own code): mutual TLS, Hello first, batches acknowledged, commands
// answered, reconnect with resend after the server goes away.
import { CommandOutcome, type AgentMessage, type AgentServiceClient } from '@wardwatch/proto';
import { Backoff } from '@wardwatch/shared';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AgentError } from '../errors/agent-error';
import { enrollOverLoopback } from '../enrollment/enroll-over-loopback.fixture';
import { createTestPki, type TestPki } from '../enrollment/test-pki.fixture';
import type { AgentIdentity } from '../identity/identity-store';
import { createMemoryLogger } from '../logging/logger';
import { MemoryOutbox } from '../outbox/memory-outbox';
import { fileEvent, loginEvent } from '../outbox/test-events.fixture';
import { createEnrollClient, createSessionClient } from './grpc-clients';
import { ManagerSession } from './manager-session';
import type { SessionChannel } from './session-channel';
import { TestManager, until } from './test-manager.fixture';

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
  await manager.listen();
  cleanups.push(() => manager.stop());
  return manager;
}

function enroll(manager: TestManager, token = 'wwet_good'): Promise<AgentIdentity> {
  return enrollOverLoopback({ port: manager.port, caPem: pki.caPem, token, hostname: 'ws12' });
}

function startSession(
  manager: TestManager,
  identity: AgentIdentity,
  createClient?: () => AgentServiceClient,
  channels: SessionChannel[] = [],
) {
  const outbox = new MemoryOutbox({ capacity: 100, firstSequence: 1 });
  const logger = createMemoryLogger();
  const address = `127.0.0.1:${manager.port}`;
  const session = new ManagerSession({
    managerAddress: address,
    createClient: createClient ?? (() => createSessionClient(address, identity)),
    outbox,
    hello: {
      commandKeyIds: [],
      agentVersion: '0.1.0',
      host: { hostname: 'ws12', os: 'linux', osVersion: '6', agentVersion: '0.1.0' },
    },
    stats: () => ({
      eventsSent: outbox.stats().sent,
      eventsDropped: 0,
      droppedByReason: {},
      outboxBytes: 0,
      queueLength: outbox.stats().queued,
      cpuPercent: 0,
      rssBytes: 1,
    }),
    components: () => [{ name: 'collector.logins', state: 'failed', message: 'EACCES: /var/log/auth.log', sinceMs: 5 }],
    logger,
    backoff: new Backoff({ baseMs: 50, maxMs: 200 }),
    heartbeatMs: 100,
    flushDelayMs: 10,
    connectTimeoutMs: 1_000,
    channels,
  });
  session.start();
  cleanups.push(() => session.stop(0));
  return { session, outbox, logger };
}

describe('enrollment over real gRPC', () => {
  it('gets an identity with a valid token and is refused with exit code 3 with a bad one', async () => {
    const manager = await startManager();
    const identity = await enroll(manager);
    expect(identity.agentId).toBe('agent-7');
    const error = (await enroll(manager, 'wwet_forged').catch((e: unknown) => e)) as AgentError;
    expect(error).toBeInstanceOf(AgentError);
    expect(error.exitCode).toBe(3);
    expect(error.message).toMatch(/refused the enrollment token \(unknown or expired token\)/);
  });
});

describe('ManagerSession', { timeout: 20_000 }, () => {
  it('says Hello first, streams batches, forgets acknowledged ones, sends heartbeats and answers commands', async () => {
    const manager = await startManager();
    const identity = await enroll(manager);
    const { session, outbox, logger } = startSession(manager, identity);
    await until(() => session.isConnected, 'the session to connect');
    outbox.push(fileEvent('f1', 'phi'));
    outbox.push(loginEvent('l1'));
    session.notify();
    await until(() => manager.events().length === 2 && outbox.stats().queued === 0, 'the batch to be acknowledged');
    expect(manager.received[0].body?.$case).toBe('hello');
    expect(manager.events().sort()).toEqual(['f1', 'l1']);
    expect(outbox.stats().sent).toBe(2);

    await until(() => manager.received.some((m) => m.body?.$case === 'heartbeat'), 'a heartbeat');
    const heartbeat = manager.received.find((m) => m.body?.$case === 'heartbeat')?.body;
    expect(heartbeat?.$case === 'heartbeat' && heartbeat.value.components).toEqual([
      { name: 'collector.logins', state: 'failed', message: 'EACCES: /var/log/auth.log', sinceMs: 5 },
    ]);
    manager.streams[0].write({
      body: { $case: 'command', value: { commandId: 'c-1', action: { $case: 'killProcess', value: { pid: 1 } } } },
    });
    await until(() => manager.received.some((m) => m.body?.$case === 'commandResult'), 'the command result');
    const result = manager.received.find((m) => m.body?.$case === 'commandResult')?.body;
    expect(result?.value).toMatchObject({
      commandId: 'c-1',
      ok: false,
      message: 'unsigned commands are refused',
      outcome: CommandOutcome.COMMAND_OUTCOME_REFUSED,
    });
    expect(logger.lines.some((l) => l.msg === 'agent connected')).toBe(true);
    expect(logger.lines.some((l) => l.msg === 'unsigned command refused' && l.commandId === 'c-1')).toBe(true);
  });

  it('carries further channels: their Hello fields, writes once connected, the messages it does not handle, and the end', async () => {
    const manager = await startManager();
    const identity = await enroll(manager);
    const seen: string[] = [];
    let write: ((m: AgentMessage) => boolean) | null = null;
    const channel: SessionChannel = {
      helloFields: () => ({ fleetModelVersion: 'sha256:test' }),
      connected: (w) => {
        write = w;
        seen.push('connected');
      },
      handle: (m) => (m.body?.$case === 'scoreAck' ? seen.push(`ack ${m.body.value.sequence}`) > 0 : false),
      disconnected: () => seen.push('disconnected'),
    };
    const { session, logger } = startSession(manager, identity, undefined, [channel]);
    await until(() => session.isConnected && write !== null, 'the channel to be connected');
    const hello = manager.received[0].body;
    expect(hello?.$case === 'hello' && hello.value.fleetModelVersion).toBe('sha256:test');
    write!({ body: { $case: 'scores', value: { sequence: 3, scores: [] } } });
    await until(() => manager.received.some((m) => m.body?.$case === 'scores'), "the channel's message");
    manager.streams[0].write({ body: { $case: 'scoreAck', value: { sequence: 3 } } });
    manager.streams[0].write({
      body: { $case: 'fleetModel', value: { version: 'v', featureSetVersion: 1, files: [] } },
    });
    await until(
      () => seen.includes('ack 3') && logger.lines.some((l) => l.msg === 'unknown message from the manager ignored'),
      'the ack to reach the channel',
    );
    await session.stop(0);
    expect(seen).toEqual(['connected', 'ack 3', 'disconnected']);
  });

  it('gathers what arrives while a batch is in flight into the next one, not a batch per acknowledgement', async () => {
    const manager = await startManager();
    const identity = await enroll(manager);
    const { session, outbox } = startSession(manager, identity); // flush delay 10 ms
    await until(() => session.isConnected, 'the session to connect');
    // A trickle, as the collectors make it: one event every ~2 ms for ~300 ms, each announced.
    const started = performance.now();
    for (let i = 0; i < 150; i++) {
      outbox.push(fileEvent(`t${i}`, 'phi'));
      session.notify();
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    const trickleMs = performance.now() - started;
    await until(() => manager.events().length === 150 && outbox.stats().queued === 0, 'every event acknowledged');
    const batches = manager.received.filter((m) => m.body?.$case === 'events').length;
    // At most one batch per flush delay (10 ms, plus the round trip): ~30 in 300 ms, not one per
    // ack. A loaded machine stretches the trickle (and so the flushes in it), never past 2 events a batch.
    expect(batches).toBeLessThanOrEqual(Math.min(75, Math.ceil(trickleMs / 10) + 10));
  });

  it('keeps unacknowledged events and resends them after reconnecting to a restarted manager', async () => {
    const first = await startManager();
    const identity = await enroll(first);
    first.autoAck = false;
    const { session, outbox } = startSession(first, identity);
    await until(() => session.isConnected, 'the session to connect');
    outbox.push(loginEvent('kept'));
    session.notify();
    await until(() => first.events().includes('kept'), 'the first delivery');
    await first.stop();
    await until(() => !session.isConnected, 'the session to notice');
    expect(outbox.stats().queued).toBe(1);

    const second = new TestManager(pki);
    await second.listen(first.port);
    cleanups.push(() => second.stop());
    await until(
      () => second.events().includes('kept') && outbox.stats().queued === 0,
      'the resend after reconnect',
      15_000,
    );
    expect(second.received[0].body?.$case).toBe('hello');
  });

  it('is refused by the manager without a client certificate, and backs off instead of claiming a connection', async () => {
    const manager = await startManager();
    const identity = await enroll(manager);
    const { logger } = startSession(manager, identity, () =>
      createEnrollClient(`127.0.0.1:${manager.port}`, identity.caPem),
    );
    await until(
      () => logger.lines.filter((l) => l.msg === 'manager refused this agent, retrying').length >= 3,
      'three refused attempts',
    );
    const retries = logger.lines.filter((l) => l.msg === 'manager refused this agent, retrying');
    expect(retries[0].error).toMatch(/client certificate required/);
    expect(retries[0].hint).toMatch(/enroll again/);
    expect(retries.slice(0, 3).map((l) => l.attempt)).toEqual([1, 2, 3]); // the backoff grows: a refusal is no connection
    expect(logger.lines.some((l) => l.msg === 'agent connected')).toBe(false);
    expect(manager.streams).toEqual([]);
  });
});
