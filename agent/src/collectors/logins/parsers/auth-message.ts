// The message-level matcher shared by every source whose text is syslog-style
// (auth log lines, journald records, and macOS sshd/sudo messages): given the
// program that wrote a message and the message itself, say what login activity
// it records.
import { IGNORED, type MessageResult } from './login-facts';
import { matchLoginMessage, matchSuMessage, matchSudoMessage } from './local-messages';
import { matchPamBody, matchPamMessage } from './pam-messages';
import { matchSshdMessage } from './sshd-messages';

const OLD_PAM_TAG = /^([^\s()]+)\(pam_unix\)$/;

const SSHD_PROGRAMS: ReadonlySet<string> = new Set(['sshd', 'sshd-session', 'sshd-auth']);

export function matchAuthMessage(program: string, message: string): MessageResult {
  if (message.startsWith('pam_unix(')) return matchPamMessage(message);
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
  if (program.endsWith('(pam_unix)')) {
    const old = OLD_PAM_TAG.exec(program);
    if (old) return matchPamBody(old[1], undefined, message);
  }
  return IGNORED;
}
