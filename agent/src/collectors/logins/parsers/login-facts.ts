// The shape every message matcher returns before the time and raw line are
// known, and the one place that turns it into a ParseResult.
import type { LoginActivity } from '@wardwatch/proto';
import type { AttemptLayer, ParsedLogin, ParseResult } from './parse-result';

export type LoginAction = 'logon' | 'logoff' | 'failed_logon' | 'privilege_use';

export interface LoginFacts {
  action: LoginAction;
  user: string;
  outcome: 'success' | 'failure';
  service: string;
  method?: string;
  tty?: string;
  sourceHost?: string;
  sourceIp?: string;
  sourcePort?: number;
  targetUser?: string;
  /** Failed logons: which layer reported them and how many (see AttemptMark); default program, 1. */
  attempt?: { layer: AttemptLayer; count: number };
}

/** Who wrote a record: with a pid, the key that ties the lines of one connection together. */
export interface RecordOrigin {
  host: string;
  program: string;
  pid?: number;
}

/** What a message-level matcher says about one message. */
export type MessageResult =
  { kind: 'login'; facts: LoginFacts } | { kind: 'ignored' } | { kind: 'error'; reason: string };

export const RAW_MAX_CHARS = 512;

export const IGNORED: { kind: 'ignored' } = Object.freeze({ kind: 'ignored' });

export function parseError(reason: string): { kind: 'error'; reason: string } {
  return { kind: 'error', reason };
}

export function capRaw(raw: string): string {
  return raw.length > RAW_MAX_CHARS ? raw.slice(0, RAW_MAX_CHARS) : raw;
}

/** `sshd(pam_unix)[7]` (old PAM form) and `sshd[7]` are one process: one key. */
export function attemptKey(origin: RecordOrigin): string | undefined {
  if (origin.pid === undefined) return undefined;
  const program = origin.program.endsWith('(pam_unix)')
    ? origin.program.slice(0, -'(pam_unix)'.length)
    : origin.program;
  return `${origin.host}\u0000${program}\u0000${origin.pid}`;
}

export function toParseResult(result: MessageResult, timeMs: number, raw: string, origin?: RecordOrigin): ParseResult {
  if (result.kind !== 'login') return result;
  // Beyond ±8.64e15 ms a JavaScript Date cannot represent the time.
  if (!Number.isFinite(timeMs) || Math.abs(timeMs) > 8.64e15) return parseError('timestamp out of range');
  const f = result.facts;
  const login: LoginActivity = {
    action: f.action,
    method: f.method ?? '',
    service: f.service,
    tty: f.tty ?? '',
    sourceHost: f.sourceHost ?? '',
    sourceIp: f.sourceIp ?? '',
    sourcePort:
      f.sourcePort !== undefined && Number.isInteger(f.sourcePort) && f.sourcePort > 0 && f.sourcePort < 65536
        ? f.sourcePort
        : 0,
    targetUser: f.targetUser ?? '',
    raw: capRaw(raw),
  };
  const value: ParsedLogin = { timeMs, user: f.user, outcome: f.outcome, login };
  if (f.action === 'failed_logon') {
    const key = origin ? attemptKey(origin) : undefined;
    value.attempt = { layer: f.attempt?.layer ?? 'program', count: f.attempt?.count ?? 1, ...(key ? { key } : {}) };
  }
  return { kind: 'login', value };
}
