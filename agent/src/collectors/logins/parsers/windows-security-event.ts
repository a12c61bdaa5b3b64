// One Windows Security-log event in the shape WINDOWS_SECURITY_SCRIPT prints.
//
// Mapping (action / method):
//   4624 logon / LogonType name      4625 failed_logon / LogonType name
//   4634 logoff / LogonType name     4647 logoff / "user-initiated"
//   4648 privilege_use / "explicit-credentials" (Subject ran something as Target;
//        user = SubjectUserName, target_user = TargetUserName, source_host = TargetServerName)
//   4672 privilege_use / "special-privileges" (admin-equivalent rights at logon)
//   4800 logoff / "lock"             4801 logon / "unlock"
//   4778 logon / "session-reconnect" 4779 logoff / "session-disconnect"
// Ignored: machine accounts (name ending in `$`) and the built-in service
// identities (NT AUTHORITY\SYSTEM, LOCAL/NETWORK SERVICE, ANONYMOUS LOGON,
// Window Manager\DWM-n, Font Driver Host\UMFD-n), which log on constantly
// and say nothing about people — except in 4625, where a failing machine
// account can be an attack and is kept.
import { z } from 'zod';
import { capRaw, IGNORED, type LoginAction, type LoginFacts, parseError, toParseResult } from './login-facts';
import type { ParseResult } from './parse-result';

export const windowsSecurityEventSchema = z.object({
  id: z.number().int(),
  /** ISO 8601, or the `/Date(ms)/` form ConvertTo-Json gives a DateTime in Windows PowerShell 5. */
  time: z.string(),
  recordId: z.number().int().optional(),
  computer: z.string().optional(),
  data: z.record(z.string(), z.union([z.string(), z.null()])),
});

export type WindowsSecurityEvent = z.infer<typeof windowsSecurityEventSchema>;

export const LOGON_TYPE_NAMES: Readonly<Record<string, string>> = {
  '0': 'system',
  '2': 'interactive',
  '3': 'network',
  '4': 'batch',
  '5': 'service',
  '7': 'unlock',
  '8': 'network-cleartext',
  '9': 'new-credentials',
  '10': 'remote-interactive',
  '11': 'cached-interactive',
  '12': 'cached-remote-interactive',
  '13': 'cached-unlock',
};

const SERVICE_DOMAINS: ReadonlySet<string> = new Set(['NT AUTHORITY', 'WINDOW MANAGER', 'FONT DRIVER HOST']);
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;
const MS_DATE = /^\/Date\((-?\d{1,15})\)\/$/;

function parseTime(time: string): number {
  const ms = MS_DATE.exec(time);
  if (ms) return Number(ms[1]);
  return ISO.test(time) ? Date.parse(time) : Number.NaN;
}

/** Windows writes "-" for an empty field. */
function field(data: WindowsSecurityEvent['data'], name: string): string {
  const v = data[name];
  return v === undefined || v === null || v === '-' ? '' : v;
}

function isNonPerson(user: string, domain: string): boolean {
  return user.endsWith('$') || SERVICE_DOMAINS.has(domain.toUpperCase()) || user === 'ANONYMOUS LOGON';
}

function logonTypeName(data: WindowsSecurityEvent['data']): string {
  const t = field(data, 'LogonType');
  return LOGON_TYPE_NAMES[t] ?? (t ? `type-${t}` : '');
}

function port(value: string): number | undefined {
  return /^\d{1,5}$/.test(value) ? Number(value) : undefined;
}

function facts(ev: WindowsSecurityEvent): LoginFacts | 'ignore' | 'unknown' {
  const d = ev.data;
  const target = field(d, 'TargetUserName');
  const targetDomain = field(d, 'TargetDomainName');
  const subject = field(d, 'SubjectUserName');
  const subjectDomain = field(d, 'SubjectDomainName');
  const base = (action: LoginAction, user: string, method: string): LoginFacts => ({
    action,
    user,
    method,
    outcome: action === 'failed_logon' ? 'failure' : 'success',
    service: 'windows',
  });
  switch (ev.id) {
    case 4624:
    case 4625: {
      if (ev.id === 4624 && isNonPerson(target, targetDomain)) return 'ignore';
      const f = base(ev.id === 4624 ? 'logon' : 'failed_logon', target, logonTypeName(d));
      f.sourceIp = field(d, 'IpAddress');
      f.sourcePort = port(field(d, 'IpPort'));
      f.sourceHost = field(d, 'WorkstationName');
      return f;
    }
    case 4634:
    case 4647:
      if (isNonPerson(target, targetDomain)) return 'ignore';
      return base('logoff', target, ev.id === 4647 ? 'user-initiated' : logonTypeName(d));
    case 4648: {
      if (isNonPerson(subject, subjectDomain)) return 'ignore';
      const f = base('privilege_use', subject, 'explicit-credentials');
      f.targetUser = target;
      f.sourceHost = field(d, 'TargetServerName');
      f.sourceIp = field(d, 'IpAddress');
      f.sourcePort = port(field(d, 'IpPort'));
      return f;
    }
    case 4672:
      if (isNonPerson(subject, subjectDomain)) return 'ignore';
      return base('privilege_use', subject, 'special-privileges');
    case 4800:
    case 4801:
      if (isNonPerson(target, targetDomain)) return 'ignore';
      return base(ev.id === 4800 ? 'logoff' : 'logon', target, ev.id === 4800 ? 'lock' : 'unlock');
    case 4778:
    case 4779: {
      const account = field(d, 'AccountName');
      if (isNonPerson(account, field(d, 'AccountDomain'))) return 'ignore';
      const f = base(
        ev.id === 4778 ? 'logon' : 'logoff',
        account,
        ev.id === 4778 ? 'session-reconnect' : 'session-disconnect',
      );
      f.sourceHost = field(d, 'ClientName');
      f.sourceIp = field(d, 'ClientAddress');
      f.tty = field(d, 'SessionName');
      return f;
    }
    default:
      return 'unknown';
  }
}

export function parseWindowsSecurityEvent(json: string): ParseResult {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch {
    return parseError('Windows event is not valid JSON');
  }
  const parsed = windowsSecurityEventSchema.safeParse(data);
  if (!parsed.success)
    return parseError(`Windows event lacks fields: ${parsed.error.issues[0]?.path.join('.') || 'object'}`);
  return parseWindowsSecurityFields(parsed.data, json);
}

export function parseWindowsSecurityFields(ev: WindowsSecurityEvent, raw: string): ParseResult {
  const timeMs = parseTime(ev.time);
  if (!Number.isFinite(timeMs)) return parseError(`Windows event ${ev.id} has an unreadable time`);
  const f = facts(ev);
  if (f === 'ignore' || f === 'unknown') return IGNORED;
  if (f.user === '') return parseError(`Windows event ${ev.id} without an account name`);
  return toParseResult({ kind: 'login', facts: f }, timeMs, capRaw(raw));
}
