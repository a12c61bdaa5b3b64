// Replays a finished auth log through the agent's LoginCollector (parser,
// one failed logon per attempt, su pairing) and counts what it reported: the
// figures of issue #10, item 6, measured on a log of one's own.
import type { Event } from '@wardwatch/proto';
import type { EventSink } from '../../../agent/src/collectors/collector';
import { LoginCollector } from '../../../agent/src/collectors/logins/login-collector';
import type { AttemptLedgerStats } from '../../../agent/src/collectors/logins/attempts/attempt-ledger';
import { unknownUserOf } from '../../../agent/src/scoring/features/event-to-portable';
import { createMemoryLogger } from '../../../agent/src/logging/logger';
import { AuthLogFile, type AuthLogFileStats } from './auth-log-file';

export interface AuthLogReplay {
  events: Event[];
  lines: AuthLogFileStats;
  /** Lines that looked like login records but could not be read, by reason. */
  errors: Map<string, number>;
  attempts: AttemptLedgerStats;
}

export interface ReplayOptions {
  /** The reader's clock: its year dates classic lines (default: now). */
  readAt?: number;
  /** The log's local time offset from UTC (default 0). */
  utcOffsetMinutes?: number;
}

export async function replayAuthLog(path: string, options: ReplayOptions = {}): Promise<AuthLogReplay> {
  const readAt = options.readAt ?? Date.now();
  const source = new AuthLogFile(path, {
    year: new Date(readAt).getUTCFullYear(),
    nowMs: readAt,
    utcOffsetMinutes: options.utcOffsetMinutes ?? 0,
  });
  const events: Event[] = [];
  const errors = new Map<string, number>();
  const sink: EventSink = {
    emit: (event) => events.push(event),
    parseError: (_collector, reason) => errors.set(reason, (errors.get(reason) ?? 0) + 1),
  };
  const collector = new LoginCollector({ source, sessions: null, logger: createMemoryLogger() });
  await collector.start(sink);
  await collector.stop();
  return { events, lines: source.stats, errors, attempts: collector.attemptStats };
}

/** Where a failed logon came from: its address, else its host name, else its terminal. */
export function sourceOf(event: Event): string {
  if (event.detail?.$case !== 'login') return '-';
  const l = event.detail.value;
  return l.sourceIp || l.sourceHost || (l.tty ? `tty ${l.tty}` : '') || l.service || 'local';
}

/** The account as the scorer will see it: an unnamed one is the unknown account of its source. */
export function accountOf(event: Event): string {
  return event.user || (event.detail?.$case === 'login' ? unknownUserOf(event.detail.value) : 'unknown');
}

const TOP_SOURCES = 10;
const accounts = (n: number) => `${n} account${n === 1 ? '' : 's'}`;

/** The replay's figures as lines of text: lines, failed logons per source and account, sessions, privilege use. */
export function formatReplay(name: string, replay: AuthLogReplay): string {
  const logins = replay.events.flatMap((e) => (e.detail?.$case === 'login' ? [{ e, l: e.detail.value }] : []));
  const failed = logins.filter(({ l }) => l.action === 'failed_logon');
  const bySource = new Map<string, { failures: number; accounts: Set<string> }>();
  for (const { e } of failed) {
    const entry = bySource.get(sourceOf(e)) ?? { failures: 0, accounts: new Set<string>() };
    entry.failures += 1;
    entry.accounts.add(accountOf(e));
    bySource.set(sourceOf(e), entry);
  }
  const count = (action: string) => logins.filter(({ l }) => l.action === action).length;
  const privilege = new Map<string, number>();
  for (const { l } of logins.filter(({ l }) => l.action === 'privilege_use'))
    privilege.set(l.service || '?', (privilege.get(l.service || '?') ?? 0) + 1);
  const errors = [...replay.errors].map(([reason, n]) => `${reason} ${n}`).join(', ');
  const list = (m: Map<string, number>) => [...m].map(([k, n]) => `${k} ${n}`).join(', ');
  const sources = [...bySource].sort((a, b) => b[1].failures - a[1].failures || a[0].localeCompare(b[0]));
  const unnamed = new Set(failed.filter(({ e }) => !e.user).map(({ e }) => accountOf(e)));
  return [
    `auth log ${name}: ${replay.lines.lines} lines, ${replay.lines.ignored} not about logins, ${[...replay.errors.values()].reduce((a, b) => a + b, 0)} not understood${errors ? ` (${errors})` : ''}`,
    `failed logons: ${failed.length} attempts from ${bySource.size} sources against ${accounts(new Set(failed.map(({ e }) => accountOf(e))).size)} (${replay.attempts.merged} lines merged into an attempt another line reported, ${replay.attempts.dropped} summaries naming nobody dropped)`,
    ...sources
      .slice(0, TOP_SOURCES)
      .map(([source, s]) => `  ${source}: ${s.failures} failed logons, ${accounts(s.accounts.size)}`),
    ...(sources.length > TOP_SOURCES ? [`  … ${sources.length - TOP_SOURCES} more sources`] : []),
    `  accounts the log does not name, kept per source: ${unnamed.size}`,
    `logons ${count('logon')}, logoffs ${count('logoff')}, privilege use ${count('privilege_use')}${privilege.size ? ` (${list(privilege)})` : ''}`,
  ].join('\n');
}
