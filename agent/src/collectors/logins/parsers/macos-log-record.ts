// One line of `log stream --style ndjson --predicate MACOS_LOGIN_PREDICATE`.
//
// Recognised: loginwindow screen lock/unlock (`com.apple.sessionagent.screenIsLocked`
// / `screenIsUnlocked` notifications) and console sessions (the utmpx
// `USER_PROCESS` / `DEAD_PROCESS` lines), authd's `Succeeded authorizing right` /
// `Failed to authorize right`, and sshd, sudo, su and login messages, whose
// text is the same as on Linux and goes through the shared matcher.
// Unified-log records carry a uid, not a user name: loginwindow events report
// the user as `uid:<n>`, authd ones as '' (authd runs as root and its message
// names the client, not the user).
import { readJsonLine } from '../../json-line';
import { z } from 'zod';
import { matchAuthMessage } from './auth-message';
import { capRaw, IGNORED, type LoginFacts, type MessageResult, parseError, toParseResult } from './login-facts';
import type { ParseResult } from './parse-result';

export const MACOS_LOGIN_PREDICATE = [
  '(process == "loginwindow" AND (eventMessage CONTAINS "com.apple.sessionagent.screenIs" OR eventMessage CONTAINS "_PROCESS: "))',
  '(subsystem == "com.apple.Authorization" AND eventMessage CONTAINS "authoriz")',
  'process IN {"sshd", "sshd-session", "sudo", "su", "login"}',
].join(' OR ');

export const macosLogRecordSchema = z.looseObject({
  timestamp: z.string(),
  processImagePath: z.string().optional(),
  subsystem: z.string().optional(),
  category: z.string().optional(),
  eventMessage: z.string().optional(),
  processID: z.number().optional(),
  userID: z.number().optional(),
});

export type MacosLogRecord = z.infer<typeof macosLogRecordSchema>;

const TIMESTAMP = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?)([+-]\d{2}):?(\d{2})$/;
const SCREEN = /com\.apple\.sessionagent\.screenIs(Locked|Unlocked)(?: forUserID:(\d+))?/;
const UTMP = /\b(USER|DEAD)_PROCESS: (\d+) (\S+)/;
const AUTH_OK = /^Succeeded authorizing right '([^']+)' by client '([^']*)'/;
const AUTH_FAILED = /^Failed to authorize right '([^']+)' by client '([^']*)'/;

function parseTimestamp(ts: string): number {
  const m = TIMESTAMP.exec(ts);
  return m ? Date.parse(`${m[1]}T${m[2]}${m[3]}:${m[4]}`) : Number.NaN;
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function uidUser(uid: string | number | undefined): string {
  return uid === undefined ? '' : `uid:${uid}`;
}

function loginwindow(message: string, rec: MacosLogRecord): MessageResult {
  const screen = SCREEN.exec(message);
  if (screen) {
    const locked = screen[1] === 'Locked';
    const facts: LoginFacts = {
      action: locked ? 'logoff' : 'logon',
      outcome: 'success',
      service: 'loginwindow',
      method: locked ? 'lock' : 'unlock',
      user: uidUser(screen[2] ?? rec.userID),
    };
    return { kind: 'login', facts };
  }
  const utmp = UTMP.exec(message);
  if (utmp) {
    const start = utmp[1] === 'USER';
    return {
      kind: 'login',
      facts: {
        action: start ? 'logon' : 'logoff',
        outcome: 'success',
        service: 'loginwindow',
        method: 'console',
        tty: utmp[3],
        user: uidUser(rec.userID),
      },
    };
  }
  return IGNORED;
}

function authd(message: string): MessageResult {
  const ok = message.startsWith('Succeeded authorizing right');
  if (!ok && !message.startsWith('Failed to authorize right')) return IGNORED;
  const m = (ok ? AUTH_OK : AUTH_FAILED).exec(message);
  if (!m) return parseError('authd authorization line without right or client');
  return {
    kind: 'login',
    facts: {
      action: 'privilege_use',
      outcome: ok ? 'success' : 'failure',
      service: 'authd',
      method: `authorization:${m[1]}`,
      user: '',
      sourceHost: basename(m[2]),
    },
  };
}

export function parseMacosLogRecord(json: string): ParseResult {
  // `log stream` prints a plain-text banner before the first record.
  if (json.startsWith('Filtering the log data')) return IGNORED;
  const read = readJsonLine(macosLogRecordSchema, json, 'macOS log record');
  return 'error' in read ? parseError(read.error) : parseMacosFields(read.data, json);
}

export function parseMacosFields(rec: MacosLogRecord, raw: string): ParseResult {
  const message = rec.eventMessage ?? '';
  if (message === '') return IGNORED;
  const timeMs = parseTimestamp(rec.timestamp);
  if (!Number.isFinite(timeMs)) return parseError('macOS log record has an unreadable timestamp');
  const process = basename(rec.processImagePath ?? '');
  let result: MessageResult;
  if (process === 'loginwindow') result = loginwindow(message, rec);
  else if (process === 'authd' || rec.subsystem === 'com.apple.Authorization') result = authd(message);
  else result = matchAuthMessage(process, message);
  // One machine's log: the process and its pid tie the lines of one sshd connection together.
  const pid = rec.processID !== undefined && Number.isInteger(rec.processID) ? rec.processID : undefined;
  return toParseResult(result, timeMs, capRaw(raw), { host: '', program: process, pid });
}
