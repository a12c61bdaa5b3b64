// Messages of the local login programs: login (shadow-utils and util-linux
// wordings), su (shadow-utils, util-linux and the old Debian `+ tty a:b` form)
// and sudo's one-line command record.
import { IGNORED, type MessageResult, parseError } from './login-facts';
import { sourceFields } from './source-address';

const LOGIN_ON = /^LOGIN ON '?(?:\/dev\/)?([^'\s]+)'? BY '?([^'\s]+)'?(?: FROM '?([^'\s]+)'?)?/;
const ROOT_LOGIN = /^ROOT LOGIN +(?:ON|on) '?(?:\/dev\/)?([^'\s]+)'?(?: FROM '?([^'\s]+)'?)?/;
// `ON tty [FROM host]` (shadow-utils) or `FROM place` (util-linux prints the
// remote host there, or the tty when there is none; `(null)` on old builds).
const FAILED_LOGIN =
  /^(FAILED LOGIN(?: SESSION)?|TOO MANY LOGIN TRIES) (?:\(?\d+\)? )?(on|ON|FROM) '?(?:\/dev\/)?([^'\s]+)'?(?: FROM '?([^'\s]+)'?)? FOR '?([^',]+)'?/;
const TTY_LIKE = /^(?:tty|pts\/|console$|ttyS|hvc|:\d)/;

export function matchLoginMessage(message: string): MessageResult {
  if (message.startsWith('LOGIN ON')) {
    const m = LOGIN_ON.exec(message);
    if (!m) return parseError('login "LOGIN ON" line without tty or user');
    return {
      kind: 'login',
      facts: {
        action: 'logon',
        outcome: 'success',
        service: 'login',
        method: m[3] ? 'remote' : 'console',
        tty: m[1],
        user: m[2],
        ...sourceFields(m[3]),
      },
    };
  }
  if (message.startsWith('ROOT LOGIN')) {
    const m = ROOT_LOGIN.exec(message);
    if (!m) return parseError('login "ROOT LOGIN" line without tty');
    return {
      kind: 'login',
      facts: {
        action: 'logon',
        outcome: 'success',
        service: 'login',
        method: m[2] ? 'remote' : 'console',
        tty: m[1],
        user: 'root',
        ...sourceFields(m[2]),
      },
    };
  }
  if (message.startsWith('FAILED LOGIN') || message.startsWith('TOO MANY LOGIN TRIES')) {
    const m = FAILED_LOGIN.exec(message);
    if (!m) return parseError('login failure line without tty or user');
    const place = m[3];
    const placeIsRemote = m[2] === 'FROM' && !TTY_LIKE.test(place);
    const source = sourceFields(placeIsRemote ? place : m[4]);
    return {
      kind: 'login',
      facts: {
        action: 'failed_logon',
        outcome: 'failure',
        service: 'login',
        method: source.sourceIp || source.sourceHost ? 'remote' : 'console',
        tty: placeIsRemote ? undefined : place,
        ...source,
        user: m[5],
        // `FAILED LOGIN n` is the n-th try; `TOO MANY LOGIN TRIES (n)` sums up tries already reported.
        attempt: { layer: m[1] === 'TOO MANY LOGIN TRIES' ? 'summary' : 'program', count: 1 },
      },
    };
  }
  return IGNORED;
}

const SU_FAILED_SHADOW = /^FAILED SU \(to (\S+)\) (\S+) on (\S+)/;
const SU_FAILED_UTIL = /^FAILED su for (\S+) by (\S+)/;
const SU_OK_SHADOW = /^\(to (\S+)\) (\S+) on (\S+)/;
const SU_OK_UTIL = /^Successful su for (\S+) by (\S+)/;
const SU_DEBIAN = /^([+-]) (\S+) ([^\s:]+):(\S+)$/;

function su(ok: boolean, actor: string, target: string, tty?: string): MessageResult {
  return {
    kind: 'login',
    facts: ok
      ? {
          action: 'privilege_use',
          outcome: 'success',
          service: 'su',
          method: 'su',
          user: actor,
          targetUser: target,
          tty,
        }
      : {
          action: 'failed_logon',
          outcome: 'failure',
          service: 'su',
          method: 'su',
          user: actor,
          targetUser: target,
          tty,
        },
  };
}

export function matchSuMessage(message: string): MessageResult {
  if (message.startsWith('FAILED SU')) {
    const m = SU_FAILED_SHADOW.exec(message);
    return m
      ? su(false, m[2], m[1], m[3].replace(/^\/dev\//, ''))
      : parseError('su "FAILED SU" line without users or tty');
  }
  if (message.startsWith('FAILED su')) {
    const m = SU_FAILED_UTIL.exec(message);
    return m ? su(false, m[2], m[1]) : parseError('su "FAILED su" line without users');
  }
  if (message.startsWith('(to ')) {
    const m = SU_OK_SHADOW.exec(message);
    return m ? su(true, m[2], m[1], m[3].replace(/^\/dev\//, '')) : parseError('su "(to …)" line without users or tty');
  }
  if (message.startsWith('Successful su')) {
    const m = SU_OK_UTIL.exec(message);
    return m ? su(true, m[2], m[1]) : parseError('su "Successful su" line without users');
  }
  const debian = SU_DEBIAN.exec(message);
  if (debian) return su(debian[1] === '+', debian[3], debian[4], debian[2].replace(/^\/dev\//, ''));
  return IGNORED;
}

const SUDO_HEAD = /^\s*([^\s:]+) : ([\s\S]*)$/;

/** `alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/id`, optionally after a problem. */
export function matchSudoMessage(message: string): MessageResult {
  const head = SUDO_HEAD.exec(message);
  if (!head) return IGNORED;
  const user = head[1];
  const parts = head[2].split(' ; ');
  const fields = new Map<string, string>();
  let problem = '';
  for (const part of parts) {
    const eq = part.indexOf('=');
    const key = eq > 0 ? part.slice(0, eq) : '';
    if (/^[A-Z]+$/.test(key)) {
      if (!fields.has(key)) fields.set(key, part.slice(eq + 1));
    } else if (!problem) problem = part.trim();
  }
  const target = fields.get('USER');
  if (target === undefined || !fields.has('COMMAND')) return parseError('sudo line without USER or COMMAND');
  const rawTty = fields.get('TTY') ?? '';
  const tty = rawTty === 'unknown' ? undefined : rawTty.replace(/^\/dev\//, '');
  if (!problem) {
    return {
      kind: 'login',
      facts: {
        action: 'privilege_use',
        outcome: 'success',
        service: 'sudo',
        method: 'sudo',
        user,
        targetUser: target,
        tty,
      },
    };
  }
  const badPassword = /incorrect password attempt|authentication failure/.test(problem);
  return {
    kind: 'login',
    facts: {
      action: badPassword ? 'failed_logon' : 'privilege_use',
      outcome: 'failure',
      service: 'sudo',
      method: badPassword ? 'password' : 'sudo',
      user,
      targetUser: target,
      tty,
    },
  };
}
