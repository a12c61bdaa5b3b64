// OpenSSH's own log messages (sshd, and sshd-session since OpenSSH 9.8).
// The PAM lines sshd writes (`pam_unix(sshd:…)`, `PAM N more …`) are read by
// pam-messages.ts.
//
// One connection (one sshd pid) can write several lines about the same failed
// attempt; each line says which layer it is (login-facts `attempt`) and the
// collector's AttemptLedger counts the attempt once. `Failed …` is sshd's own
// count (one per try); `Invalid user …` and the two "too many" lines only say
// the connection failed (`summary`): they add no attempt to those counted.
import { IGNORED, type LoginFacts, type MessageResult, parseError } from './login-facts';
import type { AttemptLayer } from './parse-result';
import { sourceFields } from './source-address';

const ACCEPTED = /^Accepted (\S+) for (.+?) from (\S+) port (\d{1,5})\b/;
const FAILED = /^Failed (\S+) for (invalid user )?(.*?) from (\S+) port (\d{1,5})\b/;
const INVALID = /^Invalid user (.*?) from (\S+)(?: port (\d{1,5}))?(?: \[preauth\])?$/;
const DISCONNECTED = /^Disconnected from user (\S+) (\S+) port (\d{1,5})\b/;
// OpenSSH 7.x: `Disconnecting: Too many authentication failures [for U ][preauth]`;
// 8.x+: `Disconnecting authenticating|invalid user U IP port P: Too many …`.
const TOO_MANY_OLD = /^Disconnecting: Too many authentication failures(?: for (invalid user )?(\S+))?/;
const TOO_MANY_NEW =
  /^Disconnecting (authenticating|invalid) user (\S+) (\S+) port (\d{1,5}): Too many authentication failures/;
const MAX_EXCEEDED =
  /^error: maximum authentication attempts exceeded for (invalid user )?(\S*) from (\S+) port (\d{1,5})/;

/** One sshd login fact; a failed logon is a failure, and says which layer of the attempt it is. */
function sshd(
  action: LoginFacts['action'],
  method: string,
  user: string,
  source?: string,
  port?: string,
  layer?: AttemptLayer,
): MessageResult {
  const facts: LoginFacts = {
    action,
    outcome: action === 'failed_logon' ? 'failure' : 'success',
    service: 'sshd',
    method,
    user,
    ...sourceFields(source),
    sourcePort: port === undefined ? undefined : Number(port),
    ...(layer && { attempt: { layer, count: 1 } }),
  };
  return { kind: 'login', facts };
}

/** The connection failed (a "too many" line): no attempt of its own. */
const summary = (user: string, source?: string, port?: string, invalid = false) =>
  sshd('failed_logon', invalid ? 'too-many/invalid-user' : 'too-many', user, source, port, 'summary');

/** `keyboard-interactive/pam` → `keyboard-interactive`. */
function authMethod(raw: string): string {
  const slash = raw.indexOf('/');
  return slash > 0 ? raw.slice(0, slash) : raw;
}

export function matchSshdMessage(message: string): MessageResult {
  const first = message.charCodeAt(0);
  // A cheap first-letter switch keeps the common, irrelevant sshd chatter off the regexes.
  if (first === 65 /* A */ && message.startsWith('Accepted ')) {
    const m = ACCEPTED.exec(message);
    if (!m) return parseError('sshd "Accepted" line without user, address or port');
    return sshd('logon', authMethod(m[1]), m[2], m[3], m[4]);
  }
  if (first === 70 /* F */ && message.startsWith('Failed ')) {
    const m = FAILED.exec(message);
    if (!m) return parseError('sshd "Failed" line without user, address or port');
    if (m[3] === '' && !m[2]) return parseError('sshd "Failed" line without a user');
    const method = m[2] ? `${authMethod(m[1])}/invalid-user` : authMethod(m[1]);
    return sshd('failed_logon', method, m[3], m[4], m[5], 'program');
  }
  if (first === 73 /* I */ && message.startsWith('Invalid user ')) {
    const m = INVALID.exec(message);
    if (!m) return parseError('sshd "Invalid user" line without a source address');
    return sshd('failed_logon', 'invalid-user', m[1], m[2], m[3], 'summary');
  }
  if (first === 68 /* D */ && message.startsWith('Disconnected from user ')) {
    const m = DISCONNECTED.exec(message);
    if (!m) return parseError('sshd "Disconnected from user" line without address or port');
    return sshd('logoff', 'disconnect', m[1], m[2], m[3]);
  }
  if (first === 68 /* D */ && message.startsWith('Disconnecting')) {
    const fresh = TOO_MANY_NEW.exec(message);
    if (fresh) return summary(fresh[2], fresh[3], fresh[4], fresh[1] === 'invalid');
    const old = TOO_MANY_OLD.exec(message);
    if (old) return summary(old[2] ?? '', undefined, undefined, old[1] !== undefined);
    return IGNORED;
  }
  if (first === 101 /* e */ && message.startsWith('error: maximum authentication attempts exceeded')) {
    const m = MAX_EXCEEDED.exec(message);
    if (!m) return parseError('sshd "maximum authentication attempts" line without user, address or port');
    return summary(m[2], m[3], m[4], m[1] !== undefined);
  }
  // Pre-authentication disconnects, key exchange, "Connection closed by …", etc.
  return IGNORED;
}
