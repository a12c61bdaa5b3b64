// Messages of the classic FTP daemons (BSD ftpd, wu-ftpd as `ftpd`, `in.ftpd`
// or `wu-ftpd`). They name the client as `host [address]` (or only one of the
// two) and the account after `, ` or ` as `. An anonymous login's text after the
// comma is the e-mail address typed as password: it is never taken.
import { IGNORED, type LoginFacts, type MessageResult, parseError } from './login-facts';
import { namedSource } from './source-address';

export const FTPD_PROGRAMS: ReadonlySet<string> = new Set(['ftpd', 'in.ftpd', 'wu-ftpd', 'wu.ftpd']);

const LOGIN =
  /^(ANONYMOUS )?FTP LOGIN (?:(FAILED|REFUSED) )?FROM (\S+?)(?: \[([^\]\s]+)\])?(?:(?:,| as) +(\S*))?(?:[\s,(].*)?$/;
// wu-ftpd: `failed login from host [addr]`, and after several, `repeated login failures from host [addr]`.
const WU_FAILED = /^(failed login|repeated login failures) from (\S+?)(?: \[([^\]\s]+)\])?$/;

function facts(f: Omit<LoginFacts, 'service'>): MessageResult {
  return { kind: 'login', facts: { service: 'ftpd', ...f } };
}

export function matchFtpdMessage(message: string): MessageResult {
  if (message.startsWith('ANONYMOUS FTP LOGIN') || message.startsWith('FTP LOGIN')) {
    const m = LOGIN.exec(message);
    if (!m) return parseError('ftpd login line without a client');
    const source = namedSource(m[3], m[4]);
    const anonymous = m[1] !== undefined;
    const user = anonymous ? 'anonymous' : (m[5] ?? '');
    if (!anonymous && user === '' && m[2] === undefined) return parseError('ftpd login line without an account');
    if (m[2] !== undefined) {
      return facts({
        action: 'failed_logon',
        outcome: 'failure',
        method: m[2] === 'REFUSED' ? 'refused' : anonymous ? 'anonymous' : 'password',
        user,
        ...source,
        attempt: { layer: 'program', count: 1 },
      });
    }
    return facts({
      action: 'logon',
      outcome: 'success',
      method: anonymous ? 'anonymous' : 'password',
      user,
      ...source,
    });
  }
  const wu = WU_FAILED.exec(message);
  if (wu) {
    return facts({
      action: 'failed_logon',
      outcome: 'failure',
      method: 'password',
      user: '',
      ...namedSource(wu[2], wu[3]),
      attempt: { layer: wu[1] === 'failed login' ? 'program' : 'summary', count: 1 },
    });
  }
  return IGNORED;
}
