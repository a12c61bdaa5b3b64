// Every collector the agent runs, in one list. Adding a source: a folder under
// collectors/ with a class implementing Collector, and one entry here.
import type { AgentConfig } from '../config/config.schema';
import type { Logger } from '../logging/logger';
import type { Collector } from './collector';
import { FileCollector } from './files/file-collector';
import { LoginCollector } from './logins/login-collector';
import { parseLinuxAuthLine } from './logins/parsers/linux-auth-line';

export function createCollectors(config: AgentConfig, logger: Logger): Collector[] {
  const collectors: Collector[] = [];
  if (config.watch.folders.length > 0) collectors.push(new FileCollector({ folders: config.watch.folders, engine: config.watch.engine, settleMs: config.watch.settleMs, logger }));
  if (config.logins.authLog) collectors.push(new LoginCollector({ authLogPath: config.logins.authLog, parse: parseLinuxAuthLine, logger }));
  return collectors;
}
