// One line of a Linux auth log (/var/log/auth.log, /var/log/secure).
import { parseSyslogHeader, type SyslogContext } from './syslog-header';
import { matchAuthMessage } from './auth-message';
import { IGNORED, parseError, toParseResult } from './login-facts';
import type { ParseResult } from './parse-result';

/** Programs whose untagged or truncated lines are worth counting as errors. */
const CLAIMS_LOGIN = /^(?:sshd|su|sudo|login|gdm|lightdm|sddm)\b/;

export function parseLinuxAuthLine(line: string, ctx: SyslogContext): ParseResult {
  // A trailing CR (CRLF files) or newline is not part of the record.
  const text = line.endsWith('\n') || line.endsWith('\r') ? line.replace(/[\r\n]+$/, '') : line;
  if (text.trim() === '') return IGNORED;
  const header = parseSyslogHeader(text, ctx);
  if (header.kind === 'error') return header;
  if (header.kind === 'no-tag') {
    return CLAIMS_LOGIN.test(header.rest) ? parseError('truncated program tag') : IGNORED;
  }
  const { host, program, pid, message, timeMs } = header.header;
  return toParseResult(matchAuthMessage(program, message), timeMs, text, { host, program, pid });
}
