// Logins: one log source for this host (auth log or journald on Linux, the
// Security log on Windows, the unified log on macOS — see
// sources/choose-login-source.ts) plus the open sessions from utmp, which
// report what no log line told (sessions open before the start, logoffs of a
// source the agent cannot read) and are checked against the log so a session
// is not reported twice (sessions/session-ledger.ts). The lines one failed
// attempt writes (program and PAM layers, repeats) are counted once
// (attempts/attempt-ledger.ts).
import { randomUUID } from 'node:crypto';
import { Severity, type Event } from '@wardwatch/proto';
import type { Logger } from '../../logging/logger';
import type { Collector, EventSink } from '../collector';
import type { ParsedLogin, ParseResult } from './parsers/parse-result';
import type { PollPace } from '../poll-loop';
import { AttemptLedger, HOLD_MS } from './attempts/attempt-ledger';
import { SessionLedger } from './sessions/session-ledger';
import { SessionWatcher } from './sessions/session-watcher';
import type { SessionProvider } from './sessions/utmp-sessions';
import type { LoginSource } from './sources/login-source';

export interface LoginCollectorOptions {
  /** null: no log source on this host (sessions may still be watched). */
  source: LoginSource | null;
  /** null: sessions not watched. */
  sessions: { provider: SessionProvider; pollMs: number; pace?: PollPace } | null;
  logger: Logger;
  now?: () => number;
  newId?: () => string;
}

export class LoginCollector implements Collector {
  readonly name = 'logins';
  private readonly ledger = new SessionLedger();
  private readonly attempts = new AttemptLedger();
  private watcher: SessionWatcher | null = null;
  private sourceStarted = false;
  private sink: EventSink | null = null;
  private holdTimer: NodeJS.Timeout | null = null;
  private readonly newId: () => string;

  constructor(private readonly options: LoginCollectorOptions) {
    this.newId = options.newId ?? randomUUID;
  }

  get sessionStats(): SessionWatcher['stats'] | null {
    return this.watcher?.stats ?? null;
  }

  get attemptStats(): AttemptLedger['stats'] {
    return this.attempts.stats;
  }

  async start(sink: EventSink): Promise<void> {
    const { source, sessions, logger } = this.options;
    this.sink = sink;
    if (source) {
      try {
        await source.start({
          result: (result) => this.onResult(result),
          log: (level, message) =>
            logger[level]('login source', { collector: this.name, source: source.name, message }),
        });
        this.sourceStarted = true;
        // Failures held for their source's address still leave when the log goes quiet.
        this.holdTimer = setInterval(() => this.report(this.attempts.releaseStale()), HOLD_MS / 3);
        this.holdTimer.unref();
      } catch (error) {
        // Without sessions there is nothing left to run: the collector failed. With them, it goes on.
        if (!sessions) throw error;
        logger.warn('login source failed to start, open sessions still watched', {
          collector: this.name,
          source: source.name,
          error,
        });
      }
    }
    if (sessions) {
      this.watcher = new SessionWatcher({
        provider: sessions.provider,
        pollMs: sessions.pollMs,
        pace: sessions.pace,
        ledger: this.ledger,
        now: this.options.now,
        emit: (login) => sink.emit(this.toEvent(login)),
        onError: (error) => logger.warn('open sessions not readable', { collector: this.name, error }),
      });
      await this.watcher.start();
    }
  }

  async stop(): Promise<void> {
    await this.watcher?.stop();
    this.watcher = null;
    if (this.sourceStarted) await this.options.source?.stop();
    this.sourceStarted = false;
    if (this.holdTimer) clearInterval(this.holdTimer);
    this.holdTimer = null;
    this.report(this.attempts.flush());
    this.sink = null;
  }

  private onResult(result: ParseResult): void {
    if (result.kind === 'error') this.sink?.parseError(this.name, result.reason);
    else if (result.kind === 'login') this.report(this.attempts.accept(result.value));
  }

  private report(logins: readonly ParsedLogin[]): void {
    for (const login of logins) {
      this.ledger.noteLog(login);
      this.sink?.emit(this.toEvent(login));
    }
  }

  private toEvent(login: ParsedLogin): Event {
    return {
      id: this.newId(),
      timeMs: login.timeMs,
      sequence: 0, // given by the outbox
      severity: loginSeverity(login),
      user: login.user,
      detail: { $case: 'login', value: login.login },
    };
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
