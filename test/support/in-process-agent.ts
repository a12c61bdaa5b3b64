// The agent's own enrollment and Session code joined to an in-process test manager, for the
// end-to-end tests that run real agent parts and a real manager in one process: enrolment
// over mutual TLS with the CA pinned by fingerprint, and a ManagerSession with test timings
// (quick reconnects, a small in-memory outbox, fixed stats) carrying the test's channels.
import { Backoff } from '@wardwatch/shared';
import { enrollOverLoopback } from '../../agent/src/enrollment/enroll-over-loopback.fixture';
import type { AgentIdentity } from '../../agent/src/identity/identity-store';
import { MemoryOutbox } from '../../agent/src/outbox/memory-outbox';
import type { CommandKeyStore } from '../../agent/src/response/command-keys/command-key-store';
import { ManagerSession, type SessionOptions } from '../../agent/src/transport/manager-session';
import { EnrollmentTokenService } from '../../manager/src/enrollment/enrollment-token.service';
import { caPemOf } from '../../manager/src/testing/test-agent.fixture';
import type { TestManager } from '../../manager/src/testing/test-manager.fixture';

/**
 * Enrols as workstation ward3-ws12 with a fresh token, the way the agent does at first start,
 * pinning the manager's command keys in `keys`. The identity is kept in memory only; its
 * `managerAddress` is the manager's gRPC port on 127.0.0.1.
 */
export async function enrollInProcess(manager: TestManager, keys: CommandKeyStore): Promise<AgentIdentity> {
  const { token } = await manager.app.get(EnrollmentTokenService).create(10, 'test');
  return enrollOverLoopback({
    port: manager.grpcPort,
    caPem: caPemOf(manager),
    token,
    hostname: 'ward3-ws12',
    pinCommandKeys: (pinned) => keys.pinAtEnrollment(pinned),
  });
}

/** A Session to the manager with test timings; the Hello names `commandKeyIds`. Not started. */
export function testSession(
  options: Pick<SessionOptions, 'managerAddress' | 'createClient' | 'logger' | 'channels'> & {
    commandKeyIds: string[];
  },
): ManagerSession {
  const { commandKeyIds, ...rest } = options;
  return new ManagerSession({
    ...rest,
    outbox: new MemoryOutbox({ capacity: 10, firstSequence: 1 }),
    hello: { commandKeyIds, agentVersion: '0.1.0', host: undefined },
    stats: () => ({
      eventsSent: 0,
      eventsDropped: 0,
      droppedByReason: {},
      outboxBytes: 0,
      queueLength: 0,
      cpuPercent: 0,
      rssBytes: 1,
    }),
    backoff: new Backoff({ baseMs: 50, maxMs: 200 }),
    heartbeatMs: 60_000,
    connectTimeoutMs: 1_000,
    confirmAfterMs: 100,
  });
}
