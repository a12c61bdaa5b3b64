// The message-level matcher shared by every source whose text is syslog-style
// (auth log lines, journald records, and macOS sshd/sudo messages): given the
// program that wrote a message and the message itself, say what login activity
// it records.
import { matchFtpdMessage, FTPD_PROGRAMS } from './ftpd-messages';
import { matchKlogindMessage, KLOGIND_PROGRAMS } from './klogind-messages';
import { IGNORED, type MessageResult } from './login-facts';
import { matchLoginMessage, matchSuMessage, matchSudoMessage } from './local-messages';
import { MAX_COUNT_PER_LINE, matchPamBody, matchPamMessage } from './pam-messages';
import { matchSshdMessage } from './sshd-messages';

const OLD_PAM_TAG = /^([^\s()]+)\(pam_unix\)$/;
// rsyslog's and sysklogd's repeat compression: the previous message of this program came N more times.
const REPEATED = /^message repeated (\d{1,9}) times: \[ ?([\s\S]*?)\]$/;
// The end of a PAM conversation as libpam writes it when no module is named
// (sshd, login): `PAM N more authentication failures; …`.
const PAM_MORE = /^PAM (\d{1,6} more authentication failures?;[\s\S]*)$/;

const SSHD_PROGRAMS: ReadonlySet<string> = new Set(['sshd', 'sshd-session', 'sshd-auth']);

export function matchAuthMessage(program: string, message: string): MessageResult {
  if (message.startsWith('message repeated ')) return matchRepeated(program, message);
  return matchOne(program, message);
}

function matchOne(program: string, message: string): MessageResult {
  if (message.startsWith('pam_unix(')) return matchPamMessage(message);
  if (message.startsWith('PAM ')) {
    const more = PAM_MORE.exec(message);
    if (more) return matchPamBody(program.replace(/\(pam_unix\)$/, ''), 'auth', more[1]);
  }
  if (SSHD_PROGRAMS.has(program)) return matchSshdMessage(message);
  switch (program) {
    case 'sudo':
      return matchSudoMessage(message);
    case 'su':
      return matchSuMessage(message);
    case 'login':
      return matchLoginMessage(message);
    default:
      break;
  }
  if (FTPD_PROGRAMS.has(program)) return matchFtpdMessage(message);
  if (KLOGIND_PROGRAMS.has(program)) return matchKlogindMessage(message);
  if (program.endsWith('(pam_unix)')) {
    const old = OLD_PAM_TAG.exec(program);
    if (old) return matchPamBody(old[1], undefined, message);
  }
  return IGNORED;
}

/**
 * `message repeated N times: [ inner ]`: a failed logon inside counts N (the
 * first one was its own line). Anything else inside stands for itself once:
 * repeated session lines are not worth N events.
 */
function matchRepeated(program: string, message: string): MessageResult {
  const m = REPEATED.exec(message);
  if (!m) return IGNORED;
  const inner = matchOne(program, m[2]);
  if (inner.kind !== 'login' || inner.facts.action !== 'failed_logon') return inner;
  const mark = inner.facts.attempt ?? { layer: 'program', count: 1 };
  // A summary says the same thing however often it is repeated.
  const count = mark.layer === 'summary' ? 1 : Math.min(mark.count * Number(m[1]), MAX_COUNT_PER_LINE);
  return { kind: 'login', facts: { ...inner.facts, attempt: { layer: mark.layer, count } } };
}
