// Windows command lines as argv arrays (program first), never a shell string: Node passes
// each item as one argument, quoting it when it holds spaces. Each builder refuses what
// could be read as an option or is not a valid value, by throwing: a builder is only
// called with values the caller has checked, so a throw is a bug, not a user error.
import { refuseName } from '../account-guard';

export type Argv = readonly [string, ...string[]];

export const STORAGE_POLICY_KEY = 'HKLM\\SYSTEM\\CurrentControlSet\\Control\\StorageDevicePolicies';

/** Characters Windows does not allow in a user name. */
const BAD_NAME = /["/\\[\]:;|=,+*?<>]/;

export function checkWindowsName(name: string): string {
  const why = refuseName(name) ?? (BAD_NAME.test(name) ? 'account name holds a character Windows refuses' : undefined);
  if (why) throw new Error(why);
  return name;
}

function checkId(value: number, what: string): string {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) throw new Error(`${what} not valid`);
  return String(value);
}

export const quserArgv = (): Argv => ['quser'];
export const querySessionArgv = (): Argv => ['query', 'session'];
export const logoffArgv = (sessionId: number): Argv => ['logoff', checkId(sessionId, 'session id')];
/** Disconnects a session to the sign-in screen, its programs left running (a lock that works from session 0). */
export const tsdisconArgv = (sessionId: number): Argv => ['tsdiscon', checkId(sessionId, 'session id')];
export const taskkillTreeArgv = (pid: number): Argv => ['taskkill', '/PID', checkId(pid, 'pid'), '/T', '/F'];
export const netUserActiveArgv = (name: string, active: boolean): Argv => [
  'net',
  'user',
  checkWindowsName(name),
  active ? '/active:yes' : '/active:no',
];
/** Write protection for removable storage: applies to volumes mounted from now on. */
export const writeProtectQueryArgv = (): Argv => ['reg', 'query', STORAGE_POLICY_KEY, '/v', 'WriteProtect'];
export const writeProtectSetArgv = (value: 0 | 1): Argv => [
  'reg',
  'add',
  STORAGE_POLICY_KEY,
  '/v',
  'WriteProtect',
  '/t',
  'REG_DWORD',
  '/d',
  String(value),
  '/f',
];
export const writeProtectDeleteArgv = (): Argv => ['reg', 'delete', STORAGE_POLICY_KEY, '/v', 'WriteProtect', '/f'];

export interface WindowsSession {
  userName: string;
  sessionName: string;
  id: number;
  state: string;
}

/**
 * `quser` output: a header, then one row per session; `>` marks the caller's own. The
 * session name is empty for disconnected sessions, and user names may hold spaces, so
 * the user name is cut at the SESSIONNAME column of the header.
 *   USERNAME              SESSIONNAME        ID  STATE   IDLE TIME  LOGON TIME
 *  >jdoe                  console             1  Active      none   12/2/2026 9:00 AM
 */
export function parseQuser(text: string): WindowsSession[] {
  const lines = text.split(/\r?\n/);
  const header = lines.findIndex((l) => /USERNAME\s+SESSIONNAME\s+ID\s+STATE/i.test(l));
  if (header < 0) return [];
  const sessionCol = lines[header].search(/SESSIONNAME/i);
  const out: WindowsSession[] = [];
  for (const line of lines.slice(header + 1)) {
    if (line.trim() === '') continue;
    const userName = line.slice(1, sessionCol).trim();
    const m = /^(?:(\S+)\s+)?(\d+)\s+(\S+)\s+\S+\s+\S/.exec(line.slice(sessionCol).trim());
    if (!userName || !m) continue;
    out.push({ userName, sessionName: m[1] ?? '', id: Number(m[2]), state: m[3] });
  }
  return out;
}

/**
 * `query session`: SESSIONNAME first (empty for disconnected sessions), then USERNAME
 * (empty for services), ID, STATE.
 *  SESSIONNAME       USERNAME                 ID  STATE   TYPE        DEVICE
 *  services                                    0  Disc
 * >console           jdoe                      1  Active
 */
export function parseQuerySession(text: string): WindowsSession[] {
  const lines = text.split(/\r?\n/);
  const header = lines.findIndex((l) => /SESSIONNAME\s+USERNAME\s+ID\s+STATE/i.test(l));
  if (header < 0) return [];
  const userCol = lines[header].search(/USERNAME/i);
  const out: WindowsSession[] = [];
  for (const line of lines.slice(header + 1)) {
    const m = /^(.*?)\s+(\d+)\s+(\S+)/.exec(line.slice(userCol));
    if (!m) continue;
    out.push({ userName: m[1].trim(), sessionName: line.slice(1, userCol).trim(), id: Number(m[2]), state: m[3] });
  }
  return out;
}
