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

function summary(user: string, source?: string, port?: string, invalid = false): MessageResult {
  const facts: LoginFacts = {
    action: 'failed_logon',
    outcome: 'failure',
    service: 'sshd',
    method: invalid ? 'too-many/invalid-user' : 'too-many',
    user,
    ...sourceFields(source),
    sourcePort: port === undefined ? undefined : Number(port),
    attempt: { layer: 'summary', count: 1 },
  };
  return { kind: 'login', facts };
}

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
    return {
      kind: 'login',
      facts: {
        action: 'logon',
        outcome: 'success',
        service: 'sshd',
        method: authMethod(m[1]),
        user: m[2],
        ...sourceFields(m[3]),
        sourcePort: Number(m[4]),
      },
    };
  }
  if (first === 70 /* F */ && message.startsWith('Failed ')) {
    const m = FAILED.exec(message);
    if (!m) return parseError('sshd "Failed" line without user, address or port');
    if (m[3] === '' && !m[2]) return parseError('sshd "Failed" line without a user');
    return {
      kind: 'login',
      facts: {
        action: 'failed_logon',
        outcome: 'failure',
        service: 'sshd',
        method: m[2] ? `${authMethod(m[1])}/invalid-user` : authMethod(m[1]),
        user: m[3],
        ...sourceFields(m[4]),
        sourcePort: Number(m[5]),
        attempt: { layer: 'program', count: 1 },
      },
    };
  }
  if (first === 73 /* I */ && message.startsWith('Invalid user ')) {
    const m = INVALID.exec(message);
    if (!m) return parseError('sshd "Invalid user" line without a source address');
    return {
      kind: 'login',
      facts: {
        action: 'failed_logon',
        outcome: 'failure',
        service: 'sshd',
        method: 'invalid-user',
        user: m[1],
        ...sourceFields(m[2]),
        sourcePort: m[3] === undefined ? undefined : Number(m[3]),
        attempt: { layer: 'summary', count: 1 },
      },
    };
  }
  if (first === 68 /* D */ && message.startsWith('Disconnected from user ')) {
    const m = DISCONNECTED.exec(message);
    if (!m) return parseError('sshd "Disconnected from user" line without address or port');
    return {
      kind: 'login',
      facts: {
        action: 'logoff',
        outcome: 'success',
        service: 'sshd',
        method: 'disconnect',
        user: m[1],
        ...sourceFields(m[2]),
        sourcePort: Number(m[3]),
      },
    };
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
