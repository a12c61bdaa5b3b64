// Every collector the agent runs, in one list. Adding a source: a folder under
// collectors/ with a class implementing Collector, and one entry here.
import { READS_COMPONENT } from '@wardwatch/shared/agent';
import type { AgentConfig } from '../config/config.schema';
import type { HealthReporter } from '../status/component-health';
import type { Logger } from '../logging/logger';
import { AuditFeed, DEFAULT_AUDIT_LOG, isReadable } from './audit/audit-feed';
import { AuditdCheck } from './audit/auditd-check';
import { FileActorIndex } from './audit/file-actor-index';
import type { Collector } from './collector';
import { FileCollector } from './files/file-collector';
import type { GateSamples } from './files/gate-samples';
import { defaultProfileRoots, findProfileFolders } from './files/profile-folders';
import { defaultScratchFolders, findScratchFolders } from './files/scratch-folders';
import { LoginCollector } from './logins/login-collector';
import { NodeProcessSpawner, type ProcessSpawner } from './process-spawner';
import { utmpFileSessions } from './logins/sessions/utmp-file';
import { systemInformationSessions, type SessionProvider } from './logins/sessions/utmp-sessions';
import { chooseLoginSource } from './logins/sources/choose-login-source';
import { createLoginSource } from './logins/sources/create-login-source';
import { steadyPace, type PollPace } from './poll-loop';
import { createProcessCollector } from './processes/create-process-collector';
import { DeviceCollector, type RemovableRule } from './devices/device-collector';
import type { DeviceSource } from './devices/device-snapshot';
import { SysfsDeviceSource } from './devices/sysfs-device-source';
import { SystemInformationDeviceSource } from './devices/systeminformation-device-source';
import { NetworkCollector } from './network/network-collector';
import { ReadCollector } from './reads/read-collector';
import { WindowsReadCollector } from './reads/windows-read-collector';
import { auditctlRules, ReadRuleCheck } from './reads/read-rules';
import { WindowsReadAuditCheck } from './reads/windows-read-audit';
import { ESLOGGER, MacosReadCollector } from './reads/macos-read-collector';
import { PasswdUserNames } from './user-names';
import { PathClassifier } from '../paths/path-classifier';
import { ProcNetSource } from './network/proc-net-source';
import { SystemInformationConnectionSource } from './network/systeminformation-connection-source';

/** What the registry takes from the host; replaceable so tests can point it elsewhere. */
export interface CollectorHost {
  platform: NodeJS.Platform;
  spawner: ProcessSpawner;
  sessions: SessionProvider;
  /** A journald namespace to read instead of the system journal. */
  journalNamespace?: string;
  /** Which mounts count as removable media; default: the backing disk's removable flag or USB bus. */
  isRemovable?: RemovableRule;
}

export function defaultCollectorHost(): CollectorHost {
  return {
    platform: process.platform,
    spawner: new NodeProcessSpawner(),
    sessions: process.platform === 'linux' ? utmpFileSessions() : systemInformationSessions(),
  };
}

/**
 * `pace` is the watchdog's LoadSignal in the agent: the polling collectors (processes,
 * devices, network, and the logins collector's open-session poll) wait longer between
 * polls while the agent is over its limits.
 */
export function createCollectors(
  config: AgentConfig,
  logger: Logger,
  host: CollectorHost = defaultCollectorHost(),
  pace: PollPace = steadyPace,
  /** The ransomware gate's samples of written files (gate-samples.ts), when the gate runs. */
  samples?: GateSamples,
  /** Where a collector says it runs partly blind (the file collector out of OS watches). */
  health?: HealthReporter,
): Collector[] {
  const collectors: Collector[] = [];
  const watchRemovable = config.devices.enabled && config.devices.watchRemovable;
  // One tail of the audit log for executions and file actors alike.
  const audit = createAuditFeed(config, host, logger, health);
  // Also without configured folders when removable volumes are to be watched: they come and go.
  const files =
    config.watch.folders.length > 0 || watchRemovable
      ? new FileCollector({
          folders: config.watch.folders,
          engine: config.watch.engine,
          settleMs: config.watch.settleMs,
          logger,
          actors: createFileActors(audit, logger),
          samples,
          health,
          ...landingFolderDiscovery(config, host.platform),
        })
      : null;
  if (files) collectors.push(files);
  const reads = createReadCollector(config, host, audit, logger, health);
  if (reads) collectors.push(reads);
  const logins = createLoginCollector(config, logger, host, pace, health);
  if (logins) collectors.push(logins);
  if (config.processes.enabled)
    collectors.push(
      createProcessCollector({
        pollMs: config.processes.pollMs,
        pace,
        audit: audit.feed,
        log: (level, message) => logger[level](message, { collector: 'processes' }),
      }),
    );
  if (config.devices.enabled)
    collectors.push(
      new DeviceCollector({
        source: createDeviceSource(host.platform),
        pollMs: config.devices.pollMs,
        pace,
        isRemovable: host.isRemovable,
        // Writes to removable media are file events of class 'removable' while the volume is mounted.
        removable:
          watchRemovable && files
            ? {
                mounted: (path) =>
                  void files
                    .watchFolder({ path, class: 'removable' })
                    .catch((error: unknown) =>
                      logger.warn('removable volume not watched', { collector: 'devices', error }),
                    ),
                unmounted: (path) => files.unwatchFolder(path),
              }
            : undefined,
        log: (level, message) => logger[level](message, { collector: 'devices' }),
      }),
    );
  if (config.network.enabled)
    collectors.push(
      new NetworkCollector({
        source:
          host.platform === 'linux'
            ? new ProcNetSource({ udp: config.network.udp })
            : new SystemInformationConnectionSource(undefined, config.network.udp),
        // systeminformation runs netstat/lsof: tens of ms a call, so not more often than every 5 s there.
        pollMs: host.platform === 'linux' ? config.network.pollMs : Math.max(config.network.pollMs, 5_000),
        pace,
        dedupMs: config.network.dedupSeconds * 1_000,
        includeLoopback: config.network.includeLoopback,
        log: (level, message) => logger[level](message, { collector: 'network' }),
      }),
    );
  return collectors;
}

function createLoginCollector(
  config: AgentConfig,
  logger: Logger,
  host: CollectorHost,
  pace: PollPace,
  health?: HealthReporter,
): LoginCollector | null {
  const choice = chooseLoginSource({
    platform: host.platform,
    setting: config.logins.source,
    authLog: config.logins.authLog,
    journalctlExists: host.platform === 'linux' && host.spawner.commandExists('journalctl'),
  });
  const source = createLoginSource(choice.kind, {
    spawner: host.spawner,
    health,
    authLog: config.logins.authLog,
    journalNamespace: host.journalNamespace,
  });
  const sessions = config.logins.sessions.enabled
    ? { provider: host.sessions, pollMs: config.logins.sessions.pollSeconds * 1_000, pace }
    : null;
  logger.info('login source chosen', {
    collector: 'logins',
    source: choice.kind,
    reason: choice.reason,
    sessions: sessions !== null,
  });
  if (!source && !sessions) return null;
  return new LoginCollector({ source, sessions, logger });
}

function createAuditFeed(
  config: AgentConfig,
  host: CollectorHost,
  logger: Logger,
  health?: HealthReporter,
): { feed?: AuditFeed; reason: string } {
  if (host.platform !== 'linux') return { reason: 'not Linux' };
  if (config.processes.auditLog === false) return { reason: 'audit log off in the config' };
  const path = config.processes.auditLog ?? DEFAULT_AUDIT_LOG;
  const log = (level: 'info' | 'warn', message: string) => logger[level](message, { collector: 'audit' });
  return isReadable(path)
    ? { feed: new AuditFeed({ path, log, writerCheck: new AuditdCheck({ health, log }) }), reason: 'audit' }
    : { reason: 'audit log not readable' };
}

function createFileActors(audit: { feed?: AuditFeed; reason: string }, logger: Logger): FileActorIndex | undefined {
  logger.info(audit.feed ? 'file actor source: audit' : `file actor source: none: ${audit.reason}`, {
    collector: 'files',
  });
  return audit.feed
    ? new FileActorIndex(audit.feed, { log: (level, message) => logger[level](message, { collector: 'files' }) })
    : undefined;
}

/** The reads collector of whichever source (each counts what became of the opens it saw). */
export type ReadsCollector = ReadCollector | WindowsReadCollector | MacosReadCollector;

export function isReadsCollector(c: Collector): c is ReadsCollector {
  return c instanceof ReadCollector || c instanceof WindowsReadCollector || c instanceof MacosReadCollector;
}

/** Linux: the audit log; Windows: the Security log (event 4663); macOS: Endpoint Security (eslogger). */
function readSource(
  host: CollectorHost,
  audit: { feed?: AuditFeed; reason: string },
): { source?: 'audit' | 'security log' | 'eslogger'; reason: string } {
  if (host.platform === 'win32') return { source: 'security log', reason: '' };
  if (host.platform === 'darwin')
    return host.spawner.commandExists(ESLOGGER)
      ? { source: 'eslogger', reason: '' }
      : { reason: 'eslogger not found (macOS 13 or later)' };
  return audit.feed ? { source: 'audit', reason: '' } : { reason: audit.reason };
}

/** The read collector of the platform's source, or null (said as a stopped component) where none. */
function createReadCollector(
  config: AgentConfig,
  host: CollectorHost,
  audit: { feed?: AuditFeed; reason: string },
  logger: Logger,
  health?: HealthReporter,
): ReadsCollector | null {
  const { reads, folders } = config.watch;
  const phi = folders.filter((folder) => folder.class === 'phi');
  const { source, reason } = readSource(host, audit);
  const none = !reads.enabled
    ? 'reads off in the config'
    : phi.length === 0
      ? 'no patient-data folder'
      : source
        ? undefined
        : reason;
  logger.info(`read source: ${none === undefined ? source : `none: ${none}`}`, { collector: 'reads' });
  if (none !== undefined) {
    // Said as a component too, so the tray and the manager tell a workstation that audits no
    // reads (and why) from one whose agent predates the reads collector.
    health?.report(READS_COMPONENT, 'stopped', none);
    return null;
  }
  const log = (level: 'info' | 'warn', message: string) => logger[level](message, { collector: 'reads' });
  const reporting = {
    classify: new PathClassifier(phi),
    windowMs: reads.windowMinutes * 60_000,
    maxPerMinute: reads.maxPerMinute,
    ignoreExecutables: reads.ignoreExecutables,
    log,
  };
  const paths = phi.map((folder) => folder.path);
  if (source === 'eslogger')
    return new MacosReadCollector({ ...reporting, spawner: host.spawner, folders: paths, health });
  if (source === 'security log') {
    const auditCheck = new WindowsReadAuditCheck({ folders: paths, health, log });
    return new WindowsReadCollector({ ...reporting, spawner: host.spawner, auditCheck, health });
  }
  return new ReadCollector({
    ...reporting,
    feed: audit.feed!, // the source is the audit log
    userNames: new PasswdUserNames(),
    auditCheck: new ReadRuleCheck({ list: auditctlRules, folders: paths, health, log }),
  });
}

function createDeviceSource(platform: NodeJS.Platform): DeviceSource {
  return platform === 'linux' ? new SysfsDeviceSource() : new SystemInformationDeviceSource();
}

/**
 * Where copies of patient files land (profiles' synced and save folders, the shared scratch
 * folders), looked for only where patient data is watched: copies come from there.
 */
function landingFolderDiscovery(config: AgentConfig, platform: NodeJS.Platform) {
  const { syncFolders: sync, saveFolders: save, scratchFolders: scratch } = config.watch;
  const any = sync.enabled || save.enabled || scratch.enabled;
  if (!any || !config.watch.folders.some((folder) => folder.class === 'phi')) return {};
  const roots = sync.profileRoots ?? defaultProfileRoots(platform);
  const kinds = {
    sync: sync.enabled,
    saveFolders: save.enabled ? save.names : [],
    saveDepth: save.depth,
    profileTop: save.enabled && save.profileTop,
    tempDepth: scratch.enabled ? scratch.depth : undefined,
  };
  const scratchPaths = scratch.enabled ? (scratch.paths ?? defaultScratchFolders(platform)) : [];
  const discoverFolders = async () => [
    ...(await findScratchFolders(scratchPaths, scratch.depth)),
    ...(await findProfileFolders(roots, kinds)),
  ];
  return { discoverFolders, discoverMs: sync.discoverSeconds * 1_000 };
}
