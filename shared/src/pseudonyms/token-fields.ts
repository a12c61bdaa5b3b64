// Which fields of an event or a score an agent fills with a pseudonym, and how to
// tell one from a clear value: the one definition both sides use. The agent's
// tests check its output with it; the manager refuses an event or score that
// fails it, so that a rogue or misconfigured agent cannot put user names, paths
// or addresses into the manager in clear. A field passes when it is empty, holds
// a token of its kind (token-format.ts), or holds one of the few values the agent
// keeps in clear (clear-values.ts), spelt exactly as the agent spells it.
import { clearAccount, clearAddress, clearHost, clearSystemPath } from './clear-values';
import { isKnownExtension } from './extensions';
import { parsePseudonym, type PseudonymKind } from './token-format';

/** `extension`: a file's kept extension; `blank`: never leaves the workstation filled (raw log lines, command lines). */
export type TokenFieldKind = PseudonymKind | 'extension' | 'blank';

/** The event categories (`eventCategories` of the REST schema; not imported, so that this folder stays a leaf). */
type EventCategory = 'file' | 'login' | 'process' | 'device' | 'network';

/** The fields of each event detail that must not carry a clear value; `Event.user` is a `user` field too. */
export const eventTokenFields = {
  file: { path: 'path', previousPath: 'path', extension: 'extension', owner: 'user', process: 'path' },
  login: { sourceHost: 'host', sourceIp: 'ip', targetUser: 'user', raw: 'blank' },
  process: { executable: 'path', commandLine: 'blank' },
  device: { mountPoint: 'path', serial: 'device' },
  network: { remoteAddress: 'ip', process: 'path' },
} as const satisfies Record<EventCategory, Record<string, TokenFieldKind>>;

const UNUSUAL_EXTENSION = /^\.~[0-9a-f]{6}$/;
const KNOWN_EXTENSION = /^\.[a-z0-9]{1,10}$/;

const isToken = (kind: PseudonymKind, value: string) => parsePseudonym(value)?.kind === kind;

/** True when an agent may send `value` in a field of this kind: empty, its token, or a value kept in clear. */
export function isTokenFieldValue(kind: TokenFieldKind, value: string): boolean {
  if (value === '') return true;
  switch (kind) {
    case 'blank':
      return false;
    case 'extension':
      return UNUSUAL_EXTENSION.test(value) || (KNOWN_EXTENSION.test(value) && isKnownExtension(value));
    case 'user':
      return isToken('user', value) || clearAccount(value) === value;
    case 'ip':
      return isToken('ip', value) || clearAddress(value) === value;
    case 'host':
      // A host given as an address is sent as an address token.
      return isToken('host', value) || isToken('ip', value) || clearHost(value) === value;
    case 'device':
      return isToken('device', value);
    case 'path':
      return isToken('path', value) || clearSystemPath(value) === value;
  }
}

export interface ClearField {
  /** `user`, or `<category>.<field>` such as `file.path`. */
  field: string;
  kind: TokenFieldKind;
}

/** The shape of an event this needs (the generated proto `Event` fits it). */
export interface TokenFieldsEvent {
  user: string;
  detail?: { $case: string; value: object } | undefined;
}

/** The first field of an event that holds a clear value, or undefined when every one passes. */
export function clearFieldOfEvent(event: TokenFieldsEvent): ClearField | undefined {
  if (!isTokenFieldValue('user', event.user)) return { field: 'user', kind: 'user' };
  const detail = event.detail;
  if (!detail || !Object.hasOwn(eventTokenFields, detail.$case)) return undefined;
  const fields: Record<string, TokenFieldKind> = eventTokenFields[detail.$case as EventCategory];
  const values = detail.value as Record<string, unknown>;
  for (const [field, kind] of Object.entries(fields)) {
    const value = values[field];
    if (typeof value === 'string' && !isTokenFieldValue(kind, value))
      return { field: `${detail.$case}.${field}`, kind };
  }
  return undefined;
}

// Free text (a score's reasons) cannot be checked for names, but it can be for
// addresses and absolute paths. The agent replaces every match of these by its
// pseudonym before a reason leaves (agent/src/scoring/live/reason-text.ts); what
// may remain is a value kept in clear.
/** An IPv4 address in text. */
export const TEXT_IPV4 = /(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w.])/g;
/** Something IPv6-like in text; see `isAddressLike` for which are taken as addresses. */
export const TEXT_IPV6 = /(?<![\w:])(?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{0,4}(?![\w:])/gi;
/** An absolute path: /x…, C:\x…, \\server\…; it starts after a space, quote, bracket, colon or equals sign. */
export const TEXT_PATH = /(?<=^|[\s('"=:])(?:[A-Za-z]:[\\/]|\\\\|\/)[^\s,;'"()]+/g;

/** A TEXT_IPV6 match taken as an address: with `::`, or four groups or more (not a time such as 10:02:33). */
export function isAddressLike(match: string): boolean {
  return (/[0-9a-f]/i.test(match) && match.includes('::')) || match.split(':').length >= 4;
}

/** `ip` or `path` when free text names an address or a path in clear (other than the kept ones), else undefined. */
export function clearValueInText(text: string): 'ip' | 'path' | undefined {
  for (const [ip] of text.matchAll(TEXT_IPV4)) if (clearAddress(ip) !== ip) return 'ip';
  for (const [ip] of text.matchAll(TEXT_IPV6)) if (isAddressLike(ip) && clearAddress(ip) !== ip) return 'ip';
  for (const [path] of text.matchAll(TEXT_PATH)) if (clearSystemPath(path) !== path) return 'path';
  return undefined;
}
