// A patient file opened to be read on Windows: Security-log event 4663 ("An attempt
// was made to access an object"), written where the site audits the File System
// subcategory and a SACL on the patient-data folders asks for reads
// (agent README, Reads of patient files). Kept: a File object opened with ReadData
// (access mask bit 0x1) by an absolute drive path. The same bit on a folder is
// ListDirectory: the collector leaves folders out (the event cannot tell).
// Services (SYSTEM, LOCAL and NETWORK SERVICE, machine accounts) read with no
// person behind them: reported as such, counted by the reporter, never a person's.
import { win32 } from 'node:path';
import type { LineError } from '../command-line-reader';
import {
  eventField,
  isServiceAccount,
  readSecurityEvent,
  securityEventTime,
} from '../windows-security-log/security-event';
import type { ReadAttempt } from './read-reporter';

export const WINDOWS_READ_EVENT_ID = 4663;
const READ_DATA = 0x1;
/** The logon ids of SYSTEM, NETWORK SERVICE and LOCAL SERVICE. */
const SERVICE_LOGON_IDS: ReadonlySet<string> = new Set(['0x3e7', '0x3e4', '0x3e5']);
const MAX_PATH_CHARS = 4_096;
const MAX_NAME_CHARS = 256;
const DRIVE_PATH = /^[A-Za-z]:\\/;

export type WindowsReadResult = { kind: 'read'; read: ReadAttempt } | { kind: 'ignored' } | LineError;

const IGNORED = { kind: 'ignored' } as const;
const error = (reason: string): LineError => ({ kind: 'error', reason });

export function parseWindowsReadEvent(json: string): WindowsReadResult {
  const parsed = readSecurityEvent(json);
  if ('error' in parsed) return error(parsed.error);
  const { event } = parsed;
  if (event.id !== WINDOWS_READ_EVENT_ID) return IGNORED;
  const d = event.data;
  if (eventField(d, 'ObjectType') !== 'File') return IGNORED;
  const mask = hex(eventField(d, 'AccessMask'));
  if (mask === undefined) return error('Windows read event with an unreadable access mask');
  if ((mask & READ_DATA) === 0) return IGNORED;
  const timeMs = securityEventTime(event.time);
  if (!Number.isFinite(timeMs)) return error('Windows read event with an unreadable time');
  const name = eventField(d, 'ObjectName');
  if (name.length > MAX_PATH_CHARS) return error(`Windows read event with a path of ${name.length} characters`);
  // A volume without a drive letter (\Device\HarddiskVolume3\…) is not a folder the config can name.
  if (!DRIVE_PATH.test(name)) return IGNORED;
  const user = eventField(d, 'SubjectUserName');
  const domain = eventField(d, 'SubjectDomainName');
  if (user.length > MAX_NAME_CHARS || domain.length > MAX_NAME_CHARS)
    return error('Windows read event with an account name over 256 characters');
  const service =
    user === '' ||
    isServiceAccount(user, domain) ||
    SERVICE_LOGON_IDS.has(eventField(d, 'SubjectLogonId').toLowerCase());
  const process = eventField(d, 'ProcessName');
  return {
    kind: 'read',
    read: {
      path: win32.normalize(name),
      timeMs,
      process: process.length > MAX_PATH_CHARS ? process.slice(0, MAX_PATH_CHARS) : process,
      pid: hex(eventField(d, 'ProcessId')) ?? 0,
      user: service ? undefined : user,
      owner: '',
    },
  };
}

/** `0x1a2c` (how the Security log writes masks and ids), or a plain decimal. */
function hex(value: string): number | undefined {
  if (/^0x[0-9a-f]{1,8}$/i.test(value)) return Number.parseInt(value.slice(2), 16);
  return /^\d{1,10}$/.test(value) ? Number(value) : undefined;
}
