// Logins from a Linux auth log: the tailer follows the file, a parser turns each
// line into a LoginActivity (or says it is not about logins, or that it could
// not read it), and this collector makes the Event with its severity.
import { randomUUID } from 'node:crypto';
import { Severity, type Event } from '@wardwatch/proto';
import type { Logger } from '../../logging/logger';
import type { Collector, EventSink } from '../collector';
import { FileTailer } from './file-tailer';
import type { ParsedLogin, ParseResult } from './parsers/parse-result';

/** Classic syslog lines carry no year: the parser is told the current one and the clock (for a December line read in January). */
export type AuthLineParser = (line: string, ctx: { year: number; nowMs?: number }) => ParseResult;

export interface LoginCollectorOptions {
  authLogPath: string;
  parse: AuthLineParser;
  logger: Logger;
  pollMs?: number;
  now?: () => number;
}

export class LoginCollector implements Collector {
  readonly name = 'logins';
  private tailer: FileTailer | null = null;
  private readonly now: () => number;

  constructor(private readonly options: LoginCollectorOptions) {
    this.now = options.now ?? Date.now;
  }

  async start(sink: EventSink): Promise<void> {
    this.tailer = new FileTailer({
      path: this.options.authLogPath,
      pollMs: this.options.pollMs,
      onLine: (line) => this.onLine(line, sink),
      onOverlong: () => sink.parseError(this.name, 'line longer than 16 KiB cut'),
      onError: (error) => this.options.logger.warn('auth log not readable', { collector: this.name, error }),
    });
    await this.tailer.start();
  }

  async stop(): Promise<void> {
    await this.tailer?.stop();
    this.tailer = null;
  }

  private onLine(line: string, sink: EventSink): void {
    let result: ParseResult;
    try {
      const nowMs = this.now();
      result = this.options.parse(line, { year: new Date(nowMs).getFullYear(), nowMs });
    } catch {
      // A parser bug must cost one line, never the collector.
      result = { kind: 'error', reason: 'parser failed' };
    }
    if (result.kind === 'error') sink.parseError(this.name, result.reason);
    else if (result.kind === 'login') sink.emit(toEvent(result.value));
  }
}

export function loginSeverity(login: ParsedLogin): Severity {
  switch (login.login.action) {
    case 'failed_logon':
      return Severity.SEVERITY_MEDIUM;
    case 'privilege_use':
      return login.outcome === 'failure' ? Severity.SEVERITY_MEDIUM : Severity.SEVERITY_LOW;
    default:
      return Severity.SEVERITY_INFO;
  }
}

function toEvent(login: ParsedLogin): Event {
  return { id: randomUUID(), timeMs: login.timeMs, severity: loginSeverity(login), user: login.user, detail: { $case: 'login', value: login.login } };
}
