// A finished auth log read once, as a login source: the agent's own parser
// behind the same LoginSource interface as the tailed auth log, so a replay
// through the LoginCollector counts exactly what the agent would have.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { SyslogContext } from '../../../agent/src/collectors/logins/parsers/syslog-header';
import { parseLinuxAuthLine } from '../../../agent/src/collectors/logins/parsers/linux-auth-line';
import type { LoginSource, LoginSourceHandlers } from '../../../agent/src/collectors/logins/sources/login-source';
import { AUTH_LOG_MAX_LINE_BYTES } from '../../../agent/src/collectors/logins/sources/auth-log-source';

export interface AuthLogFileStats {
  lines: number;
  /** Well-formed lines not about logins (most of an auth log). */
  ignored: number;
}

export class AuthLogFile implements LoginSource {
  readonly name = 'authlog-file';
  readonly stats: AuthLogFileStats = { lines: 0, ignored: 0 };

  /**
   * `context.nowMs` plays the reader's clock: classic lines carry no year, and one more than a day
   * after it belongs to the year before, as when the agent reads a December line in January.
   */
  constructor(
    private readonly path: string,
    private readonly context: SyslogContext,
  ) {}

  async start(handlers: LoginSourceHandlers): Promise<void> {
    const lines = createInterface({ input: createReadStream(this.path), crlfDelay: Infinity });
    for await (const line of lines) {
      this.stats.lines += 1;
      if (Buffer.byteLength(line) > AUTH_LOG_MAX_LINE_BYTES) {
        handlers.result({ kind: 'error', reason: 'auth log line longer than 16 KiB' });
        continue;
      }
      const result = parseLinuxAuthLine(line, this.context);
      if (result.kind === 'ignored') this.stats.ignored += 1;
      handlers.result(result);
    }
  }

  async stop(): Promise<void> {}
}
