// Makes a reason's text safe to leave the workstation. The scorer writes reasons
// with clear values (a path, an address, a user name); the manager must only see
// pseudonyms. First every value the text was filled with is replaced by field
// (known from the rule hit), then a net catches what could still name someone:
// the window's user, IP addresses and absolute paths.
import { basename } from 'node:path';
// The net's patterns are shared with the manager, which refuses a reason where one still finds a clear value.
import { isAddressLike, TEXT_IPV4, TEXT_IPV6, TEXT_PATH } from '@wardwatch/shared/pseudonyms';
import type { CompleteOptions, Completed } from '../../pseudonymize/pseudonymizer';

/** The part of the agent's Pseudonymizer scoring needs. */
export interface PseudonymSource {
  user(value: string): string;
  path(value: string): string;
  ip(value: string): string;
  host(value: string): string;
  /**
   * OPRF mode: `compute`'s result once every token it used is known (the methods above
   * answer '' for a value not evaluated yet). Absent: every answer is final at once.
   */
  complete?<T>(compute: () => T, options?: CompleteOptions): Completed<T>;
}

export interface ReasonContext {
  pseudonyms: PseudonymSource;
  /** This workstation's host name: named as "this workstation". */
  host: string;
  /** Clear user names the text may contain (the scored user). */
  users: readonly string[];
}

/** Fields whose values are categories, never identities. */
const HARMLESS = new Set([
  'kind',
  'folderClass',
  'targetFolderClass',
  'extension',
  'deviceType',
  'service',
  'method',
  'removable',
  'remotePort',
]);

function programName(value: string): string {
  return basename(value.replaceAll('\\', '/')) || '(program)';
}

function safeValue(field: string, value: string, context: ReasonContext): string {
  const p = context.pseudonyms;
  switch (field) {
    case 'user':
    case 'targetUser':
      return p.user(value);
    case 'sourceIp':
    case 'remoteAddress':
      return p.ip(value);
    case 'host':
    case 'sourceHost':
      return value === context.host ? 'this workstation' : p.host(value);
    case 'executable':
    case 'process':
      // The program's name is the evidence (e.g. mimikatz.exe); its folder may name a person.
      return programName(value);
    case 'commandLine':
      return `${programName(value.trim().split(/\s+/)[0] ?? '')} (command line kept on the workstation)`;
    default:
      return HARMLESS.has(field) ? value : p.path(value);
  }
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const whole = (value: string) => new RegExp(`(?<![\\w.-])${escape(value)}(?![\\w-])`, 'g');

export function safeReasonText(
  text: string,
  fields: Record<string, string> | undefined,
  context: ReasonContext,
): string {
  let out = text;
  const entries = Object.entries(fields ?? {}).filter(([field, value]) => value !== '' && !HARMLESS.has(field));
  entries.sort((a, b) => b[1].length - a[1].length);
  for (const [field, value] of entries) out = out.replace(whole(value), () => safeValue(field, value, context));
  for (const user of context.users) if (user) out = out.replace(whole(user), () => context.pseudonyms.user(user));
  out = out.replace(TEXT_IPV4, (ip) => context.pseudonyms.ip(ip));
  out = out.replace(TEXT_IPV6, (ip) => (isAddressLike(ip) ? context.pseudonyms.ip(ip) : ip));
  out = out.replace(TEXT_PATH, (path) => context.pseudonyms.path(path));
  return out;
}
