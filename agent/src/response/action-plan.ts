// What a verified command asks the OS actions to do, made concrete on this
// workstation: a user pseudonym becomes a local account, a folder class becomes the
// processes writing there now. Returns the call to make, or why it cannot be made
// (reported as FAILED: nothing is guessed).
import { provenWriters } from './process-finder/proven-writers';
import type { AccountResolver } from './account-resolver';
import type {
  ActionOptions,
  ActionOutcome,
  LocalAccount,
  ProcessFinder,
  ProcessRef,
  ResponseActions,
} from './actions/response-actions';
import type { CommandAction } from './verify-command';

export interface PlanContext {
  accounts: AccountResolver;
  /** The agent's watched folders with their classes. */
  folders: readonly { path: string; class: string }[];
  processFinder?: ProcessFinder | null;
}

export type PlannedCall = () => Promise<ActionOutcome>;

export async function planAction(
  action: CommandAction,
  actions: ResponseActions,
  options: ActionOptions,
  context: PlanContext,
): Promise<PlannedCall | string> {
  switch (action.$case) {
    case 'revokeSession':
    case 'lockScreen': {
      const { user, sessionId } = action.value;
      const target: { account?: LocalAccount; sessionId?: string } = {};
      if (sessionId) target.sessionId = sessionId.slice(0, 64);
      if (user) {
        const account = await resolveAccount(user, context.accounts);
        if (typeof account === 'string') return account;
        target.account = account;
      } else if (!sessionId && action.$case === 'revokeSession') return 'neither a user nor a session named';
      return action.$case === 'revokeSession'
        ? () => actions.revokeSession(target, options)
        : () => actions.lockScreen(target, options);
    }
    case 'disableAccount': {
      const account = await resolveAccount(action.value.user, context.accounts);
      if (typeof account === 'string') return account;
      return () => actions.disableAccount(account, action.value.durationSeconds, options);
    }
    case 'blockRemovable':
      return () => actions.blockRemovable(action.value.durationSeconds, options);
    case 'collectDiagnostics':
      return () => actions.collectDiagnostics(options);
    case 'killProcessTree': {
      const targets = await killTargets(action.value, context);
      if (typeof targets === 'string') return targets;
      return () => actions.killProcessTree(targets, options);
    }
    default:
      return 'unknown action';
  }
}

/** The account a session warning is for (notify-send runs as that user), when named. */
export async function warnedAccount(action: CommandAction, accounts: AccountResolver): Promise<LocalAccount | null> {
  if (action.$case !== 'revokeSession' && action.$case !== 'lockScreen') return null;
  if (!action.value.user) return null;
  const account = await resolveAccount(action.value.user, accounts);
  return typeof account === 'string' ? null : account;
}

/** The account, or why there is none (no such account; its token could not be obtained). */
async function resolveAccount(token: string, accounts: AccountResolver): Promise<LocalAccount | string> {
  try {
    return (await accounts.resolve(token)) ?? 'no such local account';
  } catch (error) {
    return `local accounts could not be matched: ${error instanceof Error ? error.message : String(error)}`;
  }
}

async function killTargets(
  value: { pid: number; startTime: number; folderClass: string },
  context: PlanContext,
): Promise<ProcessRef[] | string> {
  if (value.pid > 0) return [{ pid: value.pid, startTime: value.startTime }];
  if (!value.folderClass) return 'neither a process nor a folder class named';
  const folderClass = value.folderClass.slice(0, 32);
  const folders = context.folders.filter((f) => f.class === value.folderClass).map((f) => f.path);
  if (folders.length === 0) return `no watched folder of class ${folderClass}`;
  if (!context.processFinder) return 'no process finder on this platform';
  const found = provenWriters(await context.processFinder.writersIn(folders));
  if (found.length === 0) return `no process proven to write in folders of class ${folderClass}`;
  return found;
}
