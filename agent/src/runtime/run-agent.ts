// The composition root: builds every part from the config and runs them until
// the stop signal. Collectors → pipeline (pseudonymise) → outbox → session;
// status and recent events for the local API.
import { join } from 'node:path';
import { Backoff } from '@wardwatch/shared/agent';
import { CollectorSupervisor } from '../collectors/collector-supervisor';
import { createCollectors, defaultCollectorHost, isReadsCollector } from '../collectors/registry';
import type { AgentConfig } from '../config/config.schema';
import { secureDataDir } from '../data-dir/secure-data-dir';
import { ensureIdentity } from '../enrollment/ensure-identity';
import { IdentityStore, type AgentIdentity } from '../identity/identity-store';
import { LocalApiServer } from '../local-api/local-api-server';
import type { Logger } from '../logging/logger';
import { DropCounter } from '../outbox/drop-counter';
import { logDropsPeriodically } from '../outbox/drop-log';
import { EventBudget, type BudgetConfig } from '../outbox/event-budget';
import { openDiskOutbox } from '../outbox/disk-outbox';
import { EventPipeline } from '../pipeline/event-pipeline';
import { RecentEvents } from '../pipeline/recent-events';
import { Pseudonymizer } from '../pseudonymize/pseudonymizer';
import { pseudonymMode } from '../pseudonymize/oprf/pseudonym-mode';
import { LiveScoring } from '../scoring/live/live-scoring';
import { ScoringSink } from '../pipeline/scoring-sink';
import { ProcessStats } from '../watchdog/process-stats';
import { ComponentHealthRegistry } from '../status/component-health';
import { heartbeatStats } from '../status/heartbeat-stats';
import { StatusTracker } from '../status/status-tracker';
import { CertificateRenewer } from '../renewal/certificate-renewer';
import { callRenew, createSessionClient } from '../transport/grpc-clients';
import { wireResponse } from './response-wiring';
import { wireSealing } from './sealing-wiring';
import { ManagerSession } from '../transport/manager-session';
import { readAgentVersion } from '../version';
import { LoadSignal } from '../watchdog/load-signal';
import { loadSignalTarget, lowBudgetTarget } from '../watchdog/throttle-targets';
import { Watchdog } from '../watchdog/watchdog';
import { currentHostInfo } from './host-info';
import type { ProcessFinder, ResponseActions } from '../response/actions/response-actions';
import { CommandKeyStore, type PinOutcome } from '../response/command-keys/command-key-store';
import { createPolicy } from '../policy/create-policy';
import { ExecCommandRunner } from '../response/actions/command-runner';
import { ActiveSessionUser } from '../attribution/active-session-user';
import { AttributionSink } from '../attribution/attribution-sink';

import { ProcFsProcessFinder } from '../response/process-finder/proc-process-finder';
import { VersionProtection } from '../protection/versions/version-protection';
import { VersionSink } from '../protection/versions/version-sink';
import { linuxRemovableGuard } from '../policy/removable/linux-removable-guard';

export const SHUTDOWN_FLUSH_MS = 2_000;
export const DROP_LOG_INTERVAL_MS = 30_000;

/** Reconnects and enrollment retries: 0.5 s growing to at most 30 s, with full jitter. */
const retryPolicy = { baseMs: 500, maxMs: 30_000 };
/** Certificate renewal retries: 30 s growing to at most an hour (never past the expiry). */
const renewalRetryPolicy = { baseMs: 30_000, maxMs: 3_600_000 };
/** Listening again on a held local API port: cheap, so at most every 5 s. */
export const LOCAL_API_RETRY = { baseMs: 250, maxMs: 5_000 };

/** What the platform adds (the lead plugs `createResponseActions()` in here). */
export interface RunAgentDeps {
  /** The OS response actions; null or absent: every command fails "no actions on this platform". */
  responseActions?: ResponseActions | null;
  processFinder?: ProcessFinder | null;
  /** Called once everything has started, before "agent ready" (the CLI frees the start-up garbage there). */
  onStarted?: () => void;
}

export async function enrollOnly(config: AgentConfig, logger: Logger, signal: AbortSignal): Promise<AgentIdentity> {
  prepareDataDir(config.dataDir, logger);
  const commandKeys = new CommandKeyStore(config.dataDir);
  const { identity, enrolledNow } = await ensureIdentity(config, {
    store: new IdentityStore(config.dataDir),
    host: currentHostInfo(readAgentVersion()),
    logger,
    backoff: new Backoff(retryPolicy),
    signal,
    pinCommandKeys: (keys) => logPinned(logger, 'enrollment', commandKeys.pinAtEnrollment(keys)),
  });
  if (!enrolledNow) logger.info('agent already enrolled', { agentId: identity.agentId });
  return identity;
}

export async function runAgent(
  config: AgentConfig,
  logger: Logger,
  signal: AbortSignal,
  deps: RunAgentDeps = {},
): Promise<void> {
  const version = readAgentVersion();
  const enrolled = await enrollOnly(config, logger, signal);
  if (signal.aborted) return;
  const commandKeys = new CommandKeyStore(config.dataDir);
  // Replaced when the certificate is renewed; every new connection reads the current one.
  let identity = enrolled;
  const renewer = new CertificateRenewer({
    identity,
    store: new IdentityStore(config.dataDir),
    callRenew: (current, csrPem) => callRenew(config.manager.address, current, csrPem, 15_000),
    onRenewed: (renewed) => {
      identity = renewed;
    },
    // An agent enrolled before command keys existed gets them here; a pinned key is never replaced.
    onCommandKeys: (keys) => logPinned(logger, 'renewal', commandKeys.pinFromRenewal(keys)),
    logger,
    backoff: new Backoff(renewalRetryPolicy),
  });

  const drops = new DropCounter();
  const outbox = openDiskOutbox(join(config.dataDir, 'outbox'), outboxSettings(config.outbox), drops, (error, action) =>
    logger.warn('outbox file operation failed', {
      action,
      error: error instanceof Error ? error.message : String(error),
    }),
  );
  logger.info('outbox opened', {
    ...outbox.recovery,
    queued: outbox.stats().queued,
    lastSequence: outbox.stats().lastSequence,
  });
  const budget = new EventBudget(budgetConfig(config.budget), drops);
  // The polling collectors pace themselves by `loadSignal`: slower while the watchdog throttles.
  const loadSignal = new LoadSignal(config.watchdog.pollSlowdown);
  const watchdog = new Watchdog({
    limits: { cpuPercent: config.watchdog.cpuPercent, rssBytes: config.watchdog.rssMb * 1_048_576 },
    sampler: new ProcessStats(),
    targets: [lowBudgetTarget(budget, config.watchdog.lowBudgetFactor), loadSignalTarget(loadSignal)],
    logger,
    intervalMs: config.watchdog.checkSeconds * 1_000,
  });
  // Collectors, the local API and scoring report here; heartbeats and the local API show it.
  const health = new ComponentHealthRegistry();
  const recent = new RecentEvents();
  const processStats = new ProcessStats();
  // Local scoring sees clear values (it never leaves the workstation); its scores are pseudonymised.
  const host = currentHostInfo(version).hostname;
  // One pseudonymiser for events and score reasons: a path gets the same token (class included) in both.
  // Local-key mode (a site key from enrollment) or OPRF mode (none: the manager evaluates).
  const pseudonyms = pseudonymMode({
    pseudonymKey: identity.pseudonymKey,
    dataDir: config.dataDir,
    // A new client after a certificate renewal or a link policy change: the old certificate expires.
    client: currentClient(
      () => [identity, policy.link.get()],
      () => createSessionClient(config.manager.address, identity, policy.link.get()),
    ),
    logger,
  });
  const pseudonymizer = new Pseudonymizer(pseudonyms.source, { folders: config.watch.folders });
  // Where no audit daemon tells who writes: /proc (Linux). A critical rule hit names the
  // processes writing in the folders of its class (Score.suspects); a kill by folder class uses it too.
  const processFinder = deps.processFinder ?? (process.platform === 'linux' ? new ProcFsProcessFinder() : null);
  const foldersOf = (folderClass: string | undefined) =>
    config.watch.folders.filter((f) => folderClass === undefined || f.class === folderClass).map((f) => f.path);
  const scoring = config.scoring.enabled
    ? new LiveScoring({
        settings: config.scoring,
        dataDir: config.dataDir,
        host,
        pseudonyms: pseudonymizer,
        logger,
        suspects: processFinder ? { finder: processFinder, foldersOf } : undefined,
      })
    : null;
  const status = new StatusTracker({
    health,
    version,
    managerAddress: config.manager.address,
    outboxStats: () => outbox.stats(),
    watchdog: () => watchdog.state(),
    certificate: () => renewer.status(),
    scoring: scoring ? () => scoring.statusView() : undefined,
  });
  status.setAgentId(identity.agentId);
  const collectorHost = defaultCollectorHost();
  // Earlier versions of the files in protected folders, for a restore after ransomware.
  const versions = await openVersions(config, logger, health);
  // The policy's sealing folders: swept at apply and every sealSweepSeconds; IT staff's opens at the tray.
  const {
    sealer: folderSealer,
    sealing,
    opener: sealedOpener,
  } = wireSealing({
    managerAddress: config.manager.address,
    dataDir: config.dataDir,
    settings: config.policy,
    identity: () => identity,
    hostToken: () => pseudonymizer.host(host),
    logger,
  });
  // Signed commands → guard → actions → results; the tray reads and asks through `response` (ResponseControl).
  const {
    response,
    gate,
    gateSamples,
    accounts,
    channel: responseChannel,
  } = await wireResponse({
    config,
    agentId: identity.agentId,
    keys: commandKeys,
    actions: deps.responseActions ?? null,
    processFinder,
    pseudonymizer,
    sessions: collectorHost.sessions,
    restorer: versions,
    sealedOpener,
    health,
    logger,
  });
  // The manager's signed protection policy: re-asserted at start, then kept up to date on the stream.
  const removableGuard = linuxRemovableGuard(folderSealer, config.policy.sealSweepSeconds * 1_000, config.dataDir);
  const policy = createPolicy({
    dataDir: config.dataDir,
    agentId: identity.agentId,
    keys: commandKeys,
    actions: deps.responseActions ?? null,
    runner: new ExecCommandRunner(),
    settings: config.policy,
    logger,
    sealing,
    // Removable media read_only / copies_sealed (Linux): remounts, or sweeps sealing the volumes.
    removableGuard,
  });
  await policy.service.reassert();
  // No policy configured the guard: volumes it made read-only before a restart are writable again.
  await removableGuard?.settle().catch((error: unknown) => {
    logger.warn('removable volumes made read-only before the restart could not be released', {
      error: error instanceof Error ? error.message.slice(0, 160) : 'unknown',
    });
  });
  const session = new ManagerSession({
    managerAddress: config.manager.address,
    createClient: () => createSessionClient(config.manager.address, identity, policy.link.get()),
    outbox,
    hello: { agentVersion: version, host: currentHostInfo(version), commandKeyIds: [] },
    stats: () => heartbeatStats(outbox.stats(), processStats.sample(), status.readCounts()),
    components: () => health.list(),
    logger,
    backoff: new Backoff(retryPolicy),
    listener: {
      connected: () => status.connectedToManager(),
      disconnected: (error) => status.disconnectedFromManager(error),
    },
    heartbeatMs: config.heartbeatSeconds * 1_000,
    channels: scoring ? [scoring.channel, responseChannel, policy.channel] : [responseChannel, policy.channel],
  });
  const pipeline = new EventPipeline({
    pseudonymizer,
    outbox,
    budget,
    drops,
    recent,
    status,
    logger,
    onQueued: () => session.notify(),
    pending: pseudonyms.pending,
  });
  pseudonyms.start(() => pipeline.release());
  void accounts.warm().catch((error: unknown) =>
    logger.warn("local accounts' pseudonym tokens not fetched yet; asked again at the first command", {
      error: String(error),
    }),
  );
  const localApi = new LocalApiServer({
    dataDir: config.dataDir,
    port: config.localApi.port,
    status: () => status.snapshot(),
    recent: () => recent.list(),
    logger,
    backoff: new Backoff(LOCAL_API_RETRY),
    health,
    response,
  });

  // First: the certificate may be due (or nearly expired) already, and collectors take a while to start.
  renewer.start();
  // null when the port is held: the local API keeps trying on its own and never stops the collectors.
  const localApiPort = await localApi.start();
  const collectors = createCollectors(config, logger, collectorHost, loadSignal, gateSamples, health);
  const reads = collectors.find(isReadsCollector);
  if (reads) status.setReads(() => reads.stats);
  if (scoring) void scoring.start().then(() => reportScoring(scoring, health));
  const scored = scoring ? new ScoringSink(pipeline, scoring) : pipeline;
  // The version store notes file events last: collection, sending and scoring never wait for it.
  const noted = versions ? new VersionSink(scored, versions) : scored;
  // Device events and files on removable volumes name the user of the active local session,
  // before scoring and pseudonymisation (the read never holds up the start).
  const sessionUser = new ActiveSessionUser(collectorHost.sessions, {
    refreshMs: config.logins.sessions.pollSeconds * 1_000,
    log: (level, message) => logger[level](message, { component: 'attribution' }),
  });
  void sessionUser.start();
  const sink = new AttributionSink(noted, sessionUser);
  versions?.start();
  // A collector that cannot start is reported failed and tried again later; the others run.
  const supervisor = new CollectorSupervisor({ collectors, sink, health, logger });
  await supervisor.startAll();
  session.start();
  watchdog.start();
  const stopDropLog = logDropsPeriodically(drops, logger, DROP_LOG_INTERVAL_MS);
  deps.onStarted?.();
  logger.info('agent ready', {
    agentId: identity.agentId,
    version,
    localApiPort,
    collectors: supervisor.running(),
    failed: health.failed().map((c) => c.name),
  });

  await new Promise<void>((resolve) =>
    signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true }),
  );

  logger.info('agent stopping');
  watchdog.stop();
  await renewer.stop();
  stopDropLog();
  await supervisor.stopAll();
  gate.stop();
  await gate.idle();
  await sessionUser.stop();
  await versions?.stop();
  if (versions) health.report(VERSIONS_COMPONENT, 'stopped');
  pseudonyms.stop();
  await sealing.stop();
  await removableGuard?.stop();
  await session.stop(SHUTDOWN_FLUSH_MS);
  // After the session: a command still being handled finishes and its result stays journalled.
  await responseChannel.idle();
  response.stop();
  // Whatever was not acknowledged stays on disk and is sent after the next start.
  outbox.close();
  await scoring?.stop();
  if (scoring) health.report(SCORING_COMPONENT, 'stopped');
  await localApi.stop();
  logger.info('agent stopped', {
    sent: outbox.stats().sent,
    unsent: outbox.stats().queued,
    dropped: outbox.stats().dropped,
    // Events accepted over the agent's life (Event.sequence of the newest), for reconciling with the manager.
    lastSequence: outbox.stats().lastSequence,
  });
}

const SCORING_COMPONENT = 'scoring';

const VERSIONS_COMPONENT = 'versions';

/**
 * null when turned off or no watched folder is of a protected class. A store that cannot
 * open is logged and reported failed (heartbeat, local API), never fatal.
 */
async function openVersions(
  config: AgentConfig,
  logger: Logger,
  health: ComponentHealthRegistry,
): Promise<VersionProtection | null> {
  const settings = config.protection.versions;
  if (!settings.enabled) return null;
  if (!config.watch.folders.some((f) => settings.folderClasses.includes(f.class))) return null;
  try {
    const versions = await VersionProtection.open({
      dataDir: config.dataDir,
      folders: config.watch.folders,
      settings,
      logger,
    });
    health.report(VERSIONS_COMPONENT, 'running');
    return versions;
  } catch (error) {
    logger.error('version store cannot open: no restore on this workstation', { error: String(error) });
    health.report(VERSIONS_COMPONENT, 'failed', 'the version store cannot open; files cannot be restored here');
    return null;
  }
}

function logPinned(logger: Logger, from: string, outcome: PinOutcome): void {
  if (outcome.pinned.length > 0) logger.info('command keys pinned', { from, keyIds: outcome.pinned });
  if (outcome.rejected.length > 0) logger.warn('command keys not pinned', { from, rejected: outcome.rejected });
}

/** Scoring opens in the background; once it has, it says whether it runs (its log has the details). */
function reportScoring(scoring: LiveScoring, health: ComponentHealthRegistry): void {
  const state = scoring.stats().state;
  if (state === 'running') health.report(SCORING_COMPONENT, 'running');
  else if (state === 'failed')
    health.report(SCORING_COMPONENT, 'failed', 'scoring could not start; events are still sent (see the agent log)');
}

/** The data folder 0700 and the agent's files in it 0600, an older install's looser modes included. */
function prepareDataDir(dataDir: string, logger: Logger): void {
  const { paths } = secureDataDir(dataDir);
  if (paths.length > 0) logger.warn('data folder modes tightened to owner only', { dataDir, paths });
}

function outboxSettings(outbox: AgentConfig['outbox']) {
  return {
    maxBytes: outbox.maxMb * 1_048_576,
    maxAgeMs: outbox.maxAgeHours * 3_600_000,
    fsyncIntervalMs: outbox.fsyncMs,
  };
}

function budgetConfig(budget: AgentConfig['budget']): BudgetConfig {
  const burstSeconds = budget.burstSeconds;
  return {
    low: { perSecond: budget.low, burstSeconds },
    normal: { perSecond: budget.normal, burstSeconds },
    high: { perSecond: budget.high === 'unlimited' ? null : budget.high, burstSeconds },
  };
}

/** One client made on first use and kept (the policy's TLS settings are read then). */
/** One client while what it was made from stays the same (by reference); the old one is closed. */
function currentClient<T extends { close(): void }>(from: () => readonly unknown[], make: () => T): () => T {
  let client: T | undefined;
  let madeFrom: readonly unknown[] = [];
  return () => {
    const now = from();
    if (!client || now.some((value, i) => value !== madeFrom[i])) {
      client?.close();
      client = make();
      madeFrom = now;
    }
    return client;
  };
}
