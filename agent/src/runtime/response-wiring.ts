// The response side, wired for the running agent: signed commands → guard → actions →
// results (the tray reads and asks through the service), the kernel-side ransomware gate,
// and the channel that carries commands and results on the manager stream.
import type { AgentConfig } from '../config/config.schema';
import type { SessionProvider } from '../collectors/logins/sessions/utmp-sessions';
import { GateSamples } from '../collectors/files/gate-samples';
import type { Logger } from '../logging/logger';
import type { AuthorisedOpen } from '../protection/sealing/authorised-open';
import type { Pseudonymizer } from '../pseudonymize/pseudonymizer';
import { PasswdAccountResolver } from '../response/account-resolver';
import { ProcFsReader } from '../response/actions/linux/proc-reader';
import type { ProcessFinder, ResponseActions } from '../response/actions/response-actions';
import type { FileRestorer } from '../protection/versions/version-protection';
import type { CommandKeyStore } from '../response/command-keys/command-key-store';
import { loadFanotifyBinding } from '../response/fanotify/fanotify-binding';
import { GateService } from '../response/fanotify/gate-service';
import { SystemWarningNotifier } from '../response/guard/warning-notifier';
import { ResponseChannel } from '../response/response-channel';
import { ResponseService } from '../response/response-service';
import { activeSessionUser } from '../response/session-user';
import type { HealthReporter } from '../status/component-health';

/** OPRF mode: how long a command waits for the tokens of local accounts (the manager just sent it, so it answers). */
const ACCOUNT_TOKEN_WAIT_MS = 15_000;
/**
 * OPRF mode: how long a LocalAction report waits for its user's token before saying '' (unknown).
 * Short: the tray's break-glass answer waits for the report to be queued, and a clinician must
 * not wait on an unreachable manager (the user's token is usually cached from their login).
 */
const SESSION_TOKEN_WAIT_MS = 3_000;

export interface ResponseWiringOptions {
  config: Pick<AgentConfig, 'dataDir' | 'response' | 'watch'>;
  agentId: string;
  keys: CommandKeyStore;
  /** The OS actions; null: every command fails "no actions on this platform". */
  actions: ResponseActions | null;
  processFinder: ProcessFinder | null;
  pseudonymizer: Pseudonymizer;
  /** Who is signed in at the workstation (LocalActions name them as the logins collector's events do). */
  sessions: SessionProvider;
  restorer: FileRestorer | null;
  sealedOpener: Pick<AuthorisedOpen, 'open'>;
  health: HealthReporter;
  logger: Logger;
}

/** Builds and starts the response service and the ransomware gate (the accounts' tokens are warmed by the caller, once pseudonyms run). */
export async function wireResponse(options: ResponseWiringOptions) {
  const { config, pseudonymizer, logger } = options;
  // A command names its account by token: in OPRF mode the tokens of all local accounts are
  // asked for together (and once at start), and the match waits for them.
  const accounts = new PasswdAccountResolver(
    (names) =>
      pseudonymizer.completed(() => names.map((name) => pseudonymizer.user(name)), {
        timeoutMs: ACCOUNT_TOKEN_WAIT_MS,
      }),
    config.response.passwdFile,
  );
  const response = new ResponseService({
    dataDir: config.dataDir,
    agentId: options.agentId,
    keys: options.keys,
    actions: options.actions,
    processFinder: options.processFinder,
    accounts,
    folders: config.watch.folders,
    notifier: new SystemWarningNotifier(undefined, (what, error) =>
      logger.warn('warning fallback failed', { what, error }),
    ),
    restorer: options.restorer,
    sealedOpener: options.sealedOpener,
    settings: config.response,
    logger,
    sessionUser: activeSessionUser(options.sessions, (name) =>
      pseudonymizer.completed(() => pseudonymizer.user(name), { timeoutMs: SESSION_TOKEN_WAIT_MS }),
    ),
  });
  await response.start();
  // Kernel-side ransomware gate where fanotify works; otherwise the /proc path (said in health).
  // It hands the file collector its samples of written files (the collector's own open would wait on it).
  const gateSamples = new GateSamples();
  const gate = new GateService({
    binding: loadFanotifyBinding(),
    folders: config.watch.folders,
    settings: { ...config.response.gate, enabled: config.response.enabled && config.response.gate.enabled },
    actions: options.actions,
    proc: new ProcFsReader(),
    dryRun: config.response.dryRun,
    logger,
    health: options.health,
    report: (reason) => response.reportLocalAction('ransomware_stopped', reason),
    samples: gateSamples,
  });
  gate.start();
  return { response, gate, gateSamples, accounts, channel: new ResponseChannel(response, logger) };
}
