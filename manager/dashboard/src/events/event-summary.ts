// One line in plain words for the events table, so that an analyst reads what happened
// without opening each row: "u_3f… failed to sign in to sshd from 10.0.0.7 (password)".
// Built from the fields the agent sent (attacker-controlled): only strings and finite
// numbers are used, each capped, and the result is rendered as text.
import type { EventView } from '@wardwatch/shared';
import { formatCount, formatFigure } from '../common/format';

const MAX_PART = 80;
const MAX_SUMMARY = 200;

type Detail = Readonly<Record<string, unknown>>;

/** A string field, trimmed and capped; '' when absent or not a string. */
function text(detail: Detail, key: string): string {
  const value = detail[key];
  if (typeof value !== 'string') return '';
  const trimmed = value.trim();
  return trimmed.length > MAX_PART ? `${trimmed.slice(0, MAX_PART)}…` : trimmed;
}

/** A positive finite number field, or undefined. */
function number(detail: Detail, key: string): number | undefined {
  const value = detail[key];
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined;
}

const join = (...parts: string[]) => parts.filter((part) => part !== '').join(' ');
const when = (value: string, words: string) => (value ? `${words} ${value}` : '');

function fileSummary(d: Detail): string {
  const path = text(d, 'path') || 'a file';
  const size = number(d, 'sizeBytes');
  const entropy = typeof d.entropy === 'number' && d.entropy >= 0 ? d.entropy : undefined;
  const facts = [
    text(d, 'folderClass') ? `${text(d, 'folderClass')} folder` : '',
    size === undefined ? '' : `${formatCount(size)} bytes`,
    entropy === undefined ? '' : `entropy ${formatFigure(entropy)}`,
  ].filter(Boolean);
  const by = join(when(text(d, 'process'), 'by'), number(d, 'pid') ? `(pid ${number(d, 'pid')})` : '');
  const verb: Record<string, string> = { create: 'created', write: 'wrote', delete: 'deleted', read: 'read' };
  const action = text(d, 'action');
  // A rename's previousPath is the old name; a copy's, the patient file copied.
  const from: Record<string, string> = { rename: 'renamed', copy: 'copied' };
  const head =
    action in from
      ? join(from[action], text(d, 'previousPath') || 'a file', 'to', path)
      : join(verb[action] ?? action, path);
  return join(head, by, facts.length > 0 ? `(${facts.join(', ')})` : '');
}

function loginSummary(d: Detail, user: string): string {
  const service = text(d, 'service');
  const from = text(d, 'sourceIp') || text(d, 'sourceHost');
  const method = text(d, 'method');
  const target = text(d, 'targetUser');
  const where = join(when(service, 'to'), when(from, 'from'), method ? `(${method})` : '');
  switch (text(d, 'action')) {
    case 'logon':
      return join(user, 'signed in', where);
    case 'logoff':
      return join(user, 'signed out', when(service, 'of'));
    case 'failed_logon':
      return join(user, 'failed to sign in', where);
    case 'privilege_use':
      return join(user, 'used privileges', when(service, 'through'), when(target, 'as'));
    default:
      return join(user, text(d, 'action'), where);
  }
}

function processSummary(d: Detail, user: string): string {
  const program = text(d, 'executable') || text(d, 'commandLine') || 'a program';
  const pid = number(d, 'pid');
  const verb = text(d, 'action') === 'start' ? 'started' : text(d, 'action') === 'stop' ? 'ended' : text(d, 'action');
  return join(program, verb, pid ? `(pid ${pid})` : '', when(user, 'for'));
}

function deviceSummary(d: Detail): string {
  const kind = text(d, 'deviceType') || 'device';
  const name = join(text(d, 'vendor'), text(d, 'model'));
  const verb: Record<string, string> = {
    connect: 'connected',
    disconnect: 'disconnected',
    mount: 'mounted',
    unmount: 'unmounted',
  };
  const action = text(d, 'action');
  return join(kind, name ? `"${name}"` : '', verb[action] ?? action, when(text(d, 'mountPoint'), 'at'));
}

function networkSummary(d: Detail): string {
  const port = number(d, 'remotePort');
  const address = text(d, 'remoteAddress');
  const target = address ? `${address}${port ? `:${port}` : ''}` : 'a remote host';
  const protocol = text(d, 'protocol');
  return join(text(d, 'process') || 'a process', 'connected to', target, protocol ? `(${protocol})` : '');
}

export function eventSummary(event: EventView): string {
  const user = event.user.trim().slice(0, MAX_PART);
  let summary: string;
  switch (event.category) {
    case 'file':
      summary = join(user, fileSummary(event.detail));
      break;
    case 'login':
      summary = loginSummary(event.detail, user || 'someone');
      break;
    case 'process':
      summary = processSummary(event.detail, user);
      break;
    case 'device':
      summary = join(deviceSummary(event.detail), user ? `(${user} signed in)` : '');
      break;
    case 'network':
      summary = join(user, networkSummary(event.detail));
      break;
    default:
      summary = join(user, event.action);
  }
  summary = summary.replace(/\s+/g, ' ').trim();
  return summary.length > MAX_SUMMARY ? `${summary.slice(0, MAX_SUMMARY)}…` : summary || event.action;
}
