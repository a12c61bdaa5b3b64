// Login records from a tailed syslog-style auth log (/var/log/auth.log,
// /var/log/secure), following rotation.
import { LogFollower } from '../../log-follower';
import type { ParseResult } from '../parsers/parse-result';
import type { LoginSource, LoginSourceHandlers } from './login-source';

/** Classic syslog lines carry no year: the parser is told the current one and the clock (for a December line read in January). */
export type AuthLineParser = (line: string, ctx: { year: number; nowMs?: number }) => ParseResult;

export interface AuthLogSourceOptions {
  path: string;
  parse: AuthLineParser;
  pollMs?: number;
  now?: () => number;
}

export const AUTH_LOG_MAX_LINE_BYTES = 16 * 1024;

export class AuthLogSource implements LoginSource {
  readonly name = 'authlog';
  private follower: LogFollower | null = null;
  private readonly now: () => number;

  constructor(private readonly options: AuthLogSourceOptions) {
    this.now = options.now ?? Date.now;
  }

  async start(handlers: LoginSourceHandlers): Promise<void> {
    this.follower = new LogFollower({
      path: this.options.path,
      pollMs: this.options.pollMs,
      maxLineBytes: AUTH_LOG_MAX_LINE_BYTES,
      onLine: (line) => handlers.result(this.parse(line)),
      onOverlong: () => handlers.result({ kind: 'error', reason: 'auth log line longer than 16 KiB cut' }),
      onError: (error) =>
        handlers.log('warn', `auth log not readable: ${error instanceof Error ? error.message : String(error)}`),
    });
    await this.follower.start();
    handlers.log('info', 'reading logins from the auth log');
  }

  async stop(): Promise<void> {
    await this.follower?.stop();
    this.follower = null;
  }

  private parse(line: string): ParseResult {
    try {
      const nowMs = this.now();
      return this.options.parse(line, { year: new Date(nowMs).getFullYear(), nowMs });
    } catch {
      // A parser bug must cost one line, never the collector.
      return { kind: 'error', reason: 'parser failed' };
    }
  }
}
