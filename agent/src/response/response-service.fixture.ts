// Builds a ResponseService on a temporary data folder with a real pinned key, the
// recording actions, a recording notifier and a passwd file of its own.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AgentMessage, CommandResult, LocalAction } from '@wardwatch/proto';
import { createMemoryLogger } from '../logging/logger';
import { PasswdAccountResolver } from './account-resolver';
import type { LocalAccount, ProcessFinder } from './actions/response-actions';
import { CommandKeyStore } from './command-keys/command-key-store';
import type { WarningNotifier } from './guard/warning-notifier';
import type { OpenSession } from '../collectors/logins/sessions/utmp-sessions';
import type { FileRestorer } from '../protection/versions/version-protection';
import type { AuthorisedOpen } from '../protection/sealing/authorised-open';
import { ResponseService, type ResponseSettings } from './response-service';
import { activeSessionUser } from './session-user';
import {
  AGENT_ID,
  makeCommandKey,
  RecordingActions,
  tempDataDir,
  type TestCommandKey,
} from './response-test-kit.fixture';

/** The test pseudonym function: the pipeline's keyed one is tested in pseudonymize/. */
export const pseudonym = (name: string) => `u_${Buffer.from(name).toString('hex')}`;

export class RecordingNotifier implements WarningNotifier {
  readonly warnings: { message: string; account?: LocalAccount }[] = [];
  warn(message: string, account?: LocalAccount): Promise<void> {
    this.warnings.push({ message, account });
    return Promise.resolve();
  }
}

export interface SutOptions {
  dir?: string;
  /** The agent id commands must name (a real manager's enrollment gives another). */
  agentId?: string;
  key?: TestCommandKey;
  settings?: Partial<ResponseSettings>;
  withoutActions?: boolean;
  processFinder?: ProcessFinder;
  /** The open sessions the active user is read from (default: nurse1 on the display). */
  sessions?: OpenSession[];
  restorer?: FileRestorer;
  sealedOpener?: Pick<AuthorisedOpen, 'open'>;
}

export function buildResponseService(options: SutOptions = {}) {
  const dir = options.dir ?? tempDataDir();
  const key = options.key ?? makeCommandKey();
  const keys = new CommandKeyStore(dir);
  if (keys.ids().length === 0) keys.pinAtEnrollment([key.commandKey]);
  const passwd = join(dir, 'passwd');
  writeFileSync(passwd, 'root:x:0:0:root:/root:/bin/bash\nnurse1:x:1001:1001::/home/nurse1:/bin/bash\n');
  const actions = new RecordingActions();
  const notifier = new RecordingNotifier();
  const logger = createMemoryLogger();
  const service = new ResponseService({
    dataDir: dir,
    agentId: options.agentId ?? AGENT_ID,
    keys,
    actions: options.withoutActions ? null : actions,
    processFinder: options.processFinder ?? null,
    accounts: new PasswdAccountResolver((names) => Promise.resolve(names.map(pseudonym)), passwd),
    folders: [
      { path: '/srv/phi', class: 'phi' },
      { path: '/srv/other', class: 'other' },
    ],
    notifier,
    restorer: options.restorer ?? null,
    sealedOpener: options.sealedOpener ?? null,
    settings: { enabled: true, dryRun: false, maxAutomaticPerMinute: 5, ...options.settings },
    logger,
    sessionUser: activeSessionUser(
      () => Promise.resolve(options.sessions ?? [{ user: 'nurse1', tty: ':0', from: '', startMs: 0 }]),
      pseudonym,
    ),
  });
  const sent: AgentMessage[] = [];
  const connect = () => service.connected((message) => (sent.push(message), true));
  connect();
  const results = (): CommandResult[] => sent.flatMap((m) => (m.body?.$case === 'commandResult' ? [m.body.value] : []));
  const localActions = (): LocalAction[] =>
    sent.flatMap((m) => (m.body?.$case === 'localAction' ? [m.body.value] : []));
  const resultsOf = (commandId: string) => results().filter((r) => r.commandId === commandId);
  return { dir, key, keys, actions, notifier, logger, service, sent, connect, results, resultsOf, localActions };
}
