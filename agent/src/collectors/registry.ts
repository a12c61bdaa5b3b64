// Every collector the agent runs, in one list. Adding a source: a folder under
// collectors/ with a class implementing Collector, and one entry here.
import type { AgentConfig } from '../config/config.schema';
import type { Logger } from '../logging/logger';
import type { Collector } from './collector';
import { FileCollector } from './files/file-collector';
import { LoginCollector } from './logins/login-collector';
import { NodeProcessSpawner, type ProcessSpawner } from './logins/parsers/readers/process-spawner';
import { systemInformationSessions, type SessionProvider } from './logins/sessions/utmp-sessions';
import { chooseLoginSource } from './logins/sources/choose-login-source';
import { createLoginSource } from './logins/sources/create-login-source';
import { createProcessCollector } from './processes/create-process-collector';

/** What the registry takes from the host; replaceable so tests can point it elsewhere. */
export interface CollectorHost {
  platform: NodeJS.Platform;
  spawner: ProcessSpawner;
  sessions: SessionProvider;
  /** A journald namespace to read instead of the system journal. */
  journalNamespace?: string;
}

export function defaultCollectorHost(): CollectorHost {
  return { platform: process.platform, spawner: new NodeProcessSpawner(), sessions: systemInformationSessions() };
}

export function createCollectors(config: AgentConfig, logger: Logger, host: CollectorHost = defaultCollectorHost()): Collector[] {
  const collectors: Collector[] = [];
  if (config.watch.folders.length > 0) collectors.push(new FileCollector({ folders: config.watch.folders, engine: config.watch.engine, settleMs: config.watch.settleMs, logger }));
  const logins = createLoginCollector(config, logger, host);
  if (logins) collectors.push(logins);
  if (config.processes.enabled) collectors.push(createProcessCollector({
    pollMs: config.processes.pollMs,
    ...(config.processes.auditLog === undefined ? {} : { auditLogPath: config.processes.auditLog || undefined }),
    log: (level, message) => logger[level](message, { collector: 'processes' }),
  }));
  return collectors;
}

function createLoginCollector(config: AgentConfig, logger: Logger, host: CollectorHost): LoginCollector | null {
  const choice = chooseLoginSource({
    platform: host.platform,
    setting: config.logins.source,
    authLog: config.logins.authLog,
    journalctlExists: host.platform === 'linux' && host.spawner.commandExists('journalctl'),
  });
  const source = createLoginSource(choice.kind, { spawner: host.spawner, authLog: config.logins.authLog, journalNamespace: host.journalNamespace });
  const sessions = config.logins.sessions.enabled ? { provider: host.sessions, pollMs: config.logins.sessions.pollSeconds * 1_000 } : null;
  logger.info('login source chosen', { collector: 'logins', source: choice.kind, reason: choice.reason, sessions: sessions !== null });
  if (!source && !sessions) return null;
  return new LoginCollector({ source, sessions, logger });
}
