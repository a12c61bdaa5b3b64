// The composition root: builds every part from the config and runs them until
// the stop signal. Collectors → pipeline (pseudonymise) → outbox → session;
// status and recent events for the local API.
import { mkdirSync } from 'node:fs';
import { Backoff } from '@wardwatch/shared';
import type { Collector } from '../collectors/collector';
import { createCollectors } from '../collectors/registry';
import type { AgentConfig } from '../config/config.schema';
import { ensureIdentity } from '../enrollment/ensure-identity';
import { IdentityStore, type AgentIdentity } from '../identity/identity-store';
import { LocalApiServer } from '../local-api/local-api-server';
import type { Logger } from '../logging/logger';
import { MemoryOutbox } from '../outbox/memory-outbox';
import { EventPipeline } from '../pipeline/event-pipeline';
import { RecentEvents } from '../pipeline/recent-events';
import { Pseudonymizer } from '../pseudonymize/pseudonymizer';
import { ProcessStats } from '../status/process-stats';
import { StatusTracker } from '../status/status-tracker';
import { createSessionClient } from '../transport/grpc-clients';
import { ManagerSession } from '../transport/manager-session';
import { readAgentVersion } from '../version';
import { currentHostInfo } from './host-info';

export const OUTBOX_CAPACITY = 10_000;
export const SHUTDOWN_FLUSH_MS = 2_000;

/** Reconnects and enrollment retries: 0.5 s growing to at most 30 s, with full jitter. */
const retryPolicy = { baseMs: 500, maxMs: 30_000 };

export async function enrollOnly(config: AgentConfig, logger: Logger, signal: AbortSignal): Promise<AgentIdentity> {
  prepareDataDir(config.dataDir);
  const { identity, enrolledNow } = await ensureIdentity(config, {
    store: new IdentityStore(config.dataDir),
    host: currentHostInfo(readAgentVersion()),
    logger,
    backoff: new Backoff(retryPolicy),
    signal,
  });
  if (!enrolledNow) logger.info('agent already enrolled', { agentId: identity.agentId });
  return identity;
}

export async function runAgent(config: AgentConfig, logger: Logger, signal: AbortSignal): Promise<void> {
  const version = readAgentVersion();
  const identity = await enrollOnly(config, logger, signal);
  if (signal.aborted) return;

  const outbox = new MemoryOutbox({ capacity: OUTBOX_CAPACITY });
  const status = new StatusTracker({ version, managerAddress: config.manager.address, outboxStats: () => outbox.stats() });
  status.setAgentId(identity.agentId);
  const recent = new RecentEvents();
  const processStats = new ProcessStats();
  const session = new ManagerSession({
    managerAddress: config.manager.address,
    createClient: () => createSessionClient(config.manager.address, identity),
    outbox,
    hello: { agentVersion: version, host: currentHostInfo(version) },
    stats: () => {
      const o = outbox.stats();
      return { eventsSent: o.sent, eventsDropped: o.dropped, queueLength: o.queued, ...processStats.sample() };
    },
    logger,
    backoff: new Backoff(retryPolicy),
    listener: { connected: () => status.connectedToManager(), disconnected: (error) => status.disconnectedFromManager(error) },
    heartbeatMs: config.heartbeatSeconds * 1_000,
  });
  const pipeline = new EventPipeline({ pseudonymizer: new Pseudonymizer(identity.pseudonymKey), outbox, recent, status, logger, onQueued: () => session.notify() });
  const localApi = new LocalApiServer({ dataDir: config.dataDir, port: config.localApi.port, status: () => status.snapshot(), recent: () => recent.list(), logger });

  const localApiPort = await localApi.start();
  const collectors = createCollectors(config, logger);
  for (const collector of collectors) await startCollector(collector, pipeline, status, logger);
  session.start();
  logger.info('agent ready', { agentId: identity.agentId, version, localApiPort, collectors: collectors.map((c) => c.name) });

  await new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));

  logger.info('agent stopping');
  for (const collector of collectors) {
    await collector.stop().catch((error: unknown) => logger.warn('collector did not stop cleanly', { collector: collector.name, error }));
    status.collector(collector.name, 'stopped');
  }
  await session.stop(SHUTDOWN_FLUSH_MS);
  await localApi.stop();
  logger.info('agent stopped', { sent: outbox.stats().sent, unsent: outbox.stats().queued, dropped: outbox.stats().dropped });
}

/** A collector that cannot start is reported and left out; the others run. */
async function startCollector(collector: Collector, pipeline: EventPipeline, status: StatusTracker, logger: Logger): Promise<void> {
  status.collector(collector.name, 'starting');
  try {
    await collector.start(pipeline);
    status.collector(collector.name, 'running');
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    status.collector(collector.name, 'failed', message);
    logger.error('collector failed to start', { collector: collector.name, error: message });
  }
}

function prepareDataDir(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
}
