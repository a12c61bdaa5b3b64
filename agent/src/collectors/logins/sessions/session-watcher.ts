// Polls the open sessions (utmp) and reports the difference: at start, every
// session open then is a logon (the log before the start is not read); later,
// a new session is a logon and a vanished one a logoff — unless a log record
// already said so (SessionLedger). Reported as service 'utmp', method 'session'.
// Polled by the collectors' one PollTimer, so it slows down while the agent is throttled.
import { PollTimer, type PollPace } from '../../poll-loop';
import { toParseResult } from '../parsers/login-facts';
import type { ParsedLogin } from '../parsers/parse-result';
import type { SessionLedger } from './session-ledger';
import type { OpenSession, SessionProvider } from './utmp-sessions';

export interface SessionWatcherOptions {
  provider: SessionProvider;
  ledger: SessionLedger;
  pollMs: number;
  /** Stretches the wait between polls while the agent is throttled (the watchdog's LoadSignal). */
  pace?: PollPace;
  emit(login: ParsedLogin): void;
  onError(error: unknown): void;
  now?: () => number;
}

export interface SessionWatcherStats {
  polls: number;
  logons: number;
  logoffs: number;
  /** Changes a log record had already reported. */
  alreadyLogged: number;
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

export class SessionWatcher {
  readonly stats: SessionWatcherStats = { polls: 0, logons: 0, logoffs: 0, alreadyLogged: 0 };
  private open = new Map<string, OpenSession>();
  private lastPollMs = 0;
  private readonly timer: PollTimer;
  private readonly now: () => number;

  constructor(private readonly options: SessionWatcherOptions) {
    this.now = options.now ?? Date.now;
    this.timer = new PollTimer(options.pollMs, () => this.poll(), options.pace);
  }

  async start(): Promise<void> {
    await this.poll();
    this.timer.start();
  }

  /** Stops polling and waits for a poll in progress. */
  async stop(): Promise<void> {
    await this.timer.stop();
  }

  /** One poll, also used by tests to step without waiting for the timer. */
  async poll(): Promise<void> {
    let sessions: OpenSession[];
    try {
      sessions = await this.options.provider();
    } catch (error) {
      this.options.onError(error);
      return;
    }
    const now = this.now();
    const next = new Map(sessions.map((s) => [sessionKey(s), s]));
    for (const [key, s] of next) {
      if (this.open.has(key)) continue;
      if (this.options.ledger.claimLogon(s)) this.stats.alreadyLogged += 1;
      else this.report('logon', s, s.startMs);
    }
    for (const [key, s] of this.open) {
      if (next.has(key)) continue;
      if (this.options.ledger.claimLogoff(s, this.lastPollMs, now)) this.stats.alreadyLogged += 1;
      else this.report('logoff', s, now);
    }
    this.open = next;
    this.lastPollMs = now;
    this.stats.polls += 1;
    this.options.ledger.prune(now);
  }

  private report(action: 'logon' | 'logoff', s: OpenSession, timeMs: number): void {
    const isIp = IPV4.test(s.from) || s.from.includes(':');
    const result = toParseResult(
      {
        kind: 'login',
        facts: {
          action,
          user: s.user,
          outcome: 'success',
          service: 'utmp',
          method: 'session',
          tty: s.tty,
          sourceIp: isIp ? s.from : '',
          sourceHost: isIp ? '' : s.from,
        },
      },
      timeMs,
      '',
    );
    if (result.kind !== 'login') return;
    if (action === 'logon') this.stats.logons += 1;
    else this.stats.logoffs += 1;
    this.options.emit(result.value);
  }
}

function sessionKey(s: OpenSession): string {
  return `${s.user}\u0000${s.tty}\u0000${s.from}\u0000${s.startMs}`;
}
