// A ManagerSession with test timings (quick reconnects, a small in-memory outbox, fixed stats)
// carrying the test's channels, for tests that run it against a real TLS server.
import { Backoff } from '@wardwatch/shared';
import { MemoryOutbox } from '../outbox/memory-outbox';
import { ManagerSession, type SessionOptions } from './manager-session';

/** Not started; the Hello names `commandKeyIds` (none by default). */
export function testSession(
  options: Pick<SessionOptions, 'managerAddress' | 'createClient' | 'logger' | 'channels'> & {
    commandKeyIds?: string[];
  },
): ManagerSession {
  const { commandKeyIds = [], ...rest } = options;
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
