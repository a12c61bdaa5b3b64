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
import {
  eventField,
  isServiceAccount,
  readSecurityEvent,
  securityEventTime,
  type WindowsSecurityEvent,
} from '../../windows-security-log/security-event';
import { capRaw, IGNORED, type LoginAction, type LoginFacts, parseError, toParseResult } from './login-facts';
import type { ParseResult } from './parse-result';

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

function logonTypeName(data: WindowsSecurityEvent['data']): string {
  const t = eventField(data, 'LogonType');
  return LOGON_TYPE_NAMES[t] ?? (t ? `type-${t}` : '');
}

function port(value: string): number | undefined {
  return /^\d{1,5}$/.test(value) ? Number(value) : undefined;
}

function facts(ev: WindowsSecurityEvent): LoginFacts | 'ignore' | 'unknown' {
  const d = ev.data;
  const target = eventField(d, 'TargetUserName');
  const targetDomain = eventField(d, 'TargetDomainName');
  const subject = eventField(d, 'SubjectUserName');
  const subjectDomain = eventField(d, 'SubjectDomainName');
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
      if (ev.id === 4624 && isServiceAccount(target, targetDomain)) return 'ignore';
      const f = base(ev.id === 4624 ? 'logon' : 'failed_logon', target, logonTypeName(d));
      f.sourceIp = eventField(d, 'IpAddress');
      f.sourcePort = port(eventField(d, 'IpPort'));
      f.sourceHost = eventField(d, 'WorkstationName');
      return f;
    }
    case 4634:
    case 4647:
      if (isServiceAccount(target, targetDomain)) return 'ignore';
      return base('logoff', target, ev.id === 4647 ? 'user-initiated' : logonTypeName(d));
    case 4648: {
      if (isServiceAccount(subject, subjectDomain)) return 'ignore';
      const f = base('privilege_use', subject, 'explicit-credentials');
      f.targetUser = target;
      f.sourceHost = eventField(d, 'TargetServerName');
      f.sourceIp = eventField(d, 'IpAddress');
      f.sourcePort = port(eventField(d, 'IpPort'));
      return f;
    }
    case 4672:
      if (isServiceAccount(subject, subjectDomain)) return 'ignore';
      return base('privilege_use', subject, 'special-privileges');
    case 4800:
    case 4801:
      if (isServiceAccount(target, targetDomain)) return 'ignore';
      return base(ev.id === 4800 ? 'logoff' : 'logon', target, ev.id === 4800 ? 'lock' : 'unlock');
    case 4778:
    case 4779: {
      const account = eventField(d, 'AccountName');
      if (isServiceAccount(account, eventField(d, 'AccountDomain'))) return 'ignore';
      const f = base(
        ev.id === 4778 ? 'logon' : 'logoff',
        account,
        ev.id === 4778 ? 'session-reconnect' : 'session-disconnect',
      );
      f.sourceHost = eventField(d, 'ClientName');
      f.sourceIp = eventField(d, 'ClientAddress');
      f.tty = eventField(d, 'SessionName');
      return f;
    }
    default:
      return 'unknown';
  }
}

export function parseWindowsSecurityEvent(json: string): ParseResult {
  const read = readSecurityEvent(json);
  return 'error' in read ? parseError(read.error) : parseWindowsSecurityFields(read.event, json);
}

export function parseWindowsSecurityFields(ev: WindowsSecurityEvent, raw: string): ParseResult {
  const timeMs = securityEventTime(ev.time);
  if (!Number.isFinite(timeMs)) return parseError(`Windows event ${ev.id} has an unreadable time`);
  const f = facts(ev);
  if (f === 'ignore' || f === 'unknown') return IGNORED;
  if (f.user === '') return parseError(`Windows event ${ev.id} without an account name`);
  return toParseResult({ kind: 'login', facts: f }, timeMs, capRaw(raw));
}
