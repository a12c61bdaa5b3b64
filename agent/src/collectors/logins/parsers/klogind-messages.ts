// Kerberos remote login daemons (klogind, eklogind from MIT krb5-appl): a
// refused ticket is logged with the client's name and address but no account
// (the account is only known once the ticket is read).
import { IGNORED, type MessageResult } from './login-facts';
import { namedSource } from './source-address';

export const KLOGIND_PROGRAMS: ReadonlySet<string> = new Set(['klogind', 'eklogind']);

const AUTH_FAILED = /^Authentication failed from (\S+?)(?: \(([^)\s]+)\))?(?::|$)/;

export function matchKlogindMessage(message: string): MessageResult {
  const m = AUTH_FAILED.exec(message);
  if (!m) return IGNORED;
  return {
    kind: 'login',
    facts: {
      action: 'failed_logon',
      outcome: 'failure',
      service: 'klogind',
      method: 'kerberos',
      user: '',
      ...namedSource(m[1], m[2]),
      attempt: { layer: 'program', count: 1 },
    },
  };
}
