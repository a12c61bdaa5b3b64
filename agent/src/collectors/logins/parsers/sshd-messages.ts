// OpenSSH's own log messages (sshd, and sshd-session since OpenSSH 9.8).
// The PAM lines sshd writes (`pam_unix(sshd:…)`) are read by pam-messages.ts.
import { IGNORED, type MessageResult, parseError } from './login-facts';

const ACCEPTED = /^Accepted (\S+) for (.+?) from (\S+) port (\d{1,5})\b/;
const FAILED = /^Failed (\S+) for (invalid user )?(.*?) from (\S+) port (\d{1,5})\b/;
const INVALID = /^Invalid user (.*?) from (\S+)(?: port (\d{1,5}))?(?: \[preauth\])?$/;
const DISCONNECTED = /^Disconnected from user (\S+) (\S+) port (\d{1,5})\b/;

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
        sourceIp: m[3],
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
        sourceIp: m[4],
        sourcePort: Number(m[5]),
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
        sourceIp: m[2],
        sourcePort: m[3] === undefined ? undefined : Number(m[3]),
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
        sourceIp: m[2],
        sourcePort: Number(m[3]),
      },
    };
  }
  // Pre-authentication disconnects, key exchange, "Connection closed by …", etc.
  return IGNORED;
}
