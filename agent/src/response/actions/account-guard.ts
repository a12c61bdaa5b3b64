// Which accounts and names an action may touch, on every OS.
//
// Root and system accounts (uid < 1000 on Linux) are refused unless the caller allows it
// explicitly: ending every process of uid 0 or of a daemon account stops the services the
// hospital runs on (and the agent itself), and disabling such an account can lock IT out
// of the machine. Those are decisions for a person at the console, not for a playbook.
import type { LocalAccount } from './response-actions';

export const FIRST_REGULAR_UID = 1000;

export interface AccountPolicy {
  allowSystemAccounts: boolean;
}

/** Why an account name cannot be passed to a command, or undefined when it can. */
export function refuseName(name: string): string | undefined {
  if (name.length === 0 || name.length > 256) return 'account name empty or too long';
  // A leading '-' (or '/' for Windows tools) would be read as an option, not a name.
  if (name.startsWith('-') || name.startsWith('/')) return 'account name looks like an option';
  if ([...name].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f))
    return 'account name holds control characters';
  return undefined;
}

/** Why the account must not be acted on, or undefined when it may. */
export function refuseAccount(
  account: LocalAccount,
  policy: AccountPolicy,
  firstRegularUid = FIRST_REGULAR_UID,
): string | undefined {
  const byName = refuseName(account.name);
  if (byName) return byName;
  if (!Number.isInteger(account.uid) || account.uid < 0) return 'account uid is not valid';
  if (policy.allowSystemAccounts) return undefined;
  if (account.uid === 0 || account.name === 'root') return 'refused: root is never revoked or disabled automatically';
  if (account.uid < firstRegularUid) return `refused: uid ${account.uid} is a system account`;
  return undefined;
}

/** Session ids: logind's are short alphanumerics (`3`, `c2`); Windows' are numbers. */
export function refuseSessionId(id: string): string | undefined {
  return /^[A-Za-z0-9_]{1,64}$/.test(id) ? undefined : 'session id not valid';
}
