// Where login records come from: a tailed auth log or journald on Linux (one of
// the two per host, see choose-login-source.ts), the Security log on Windows,
// the unified log on macOS. Each turns its records into ParseResults.
import type { ParseResult } from '../parsers/parse-result';

export interface LoginSourceHandlers {
  result(result: ParseResult): void;
  /** Operational news for the agent's log (started, restarted, unreadable). */
  log(level: 'info' | 'warn', message: string): void;
}

export interface LoginSource {
  /** 'authlog', 'journald', 'windows-security', 'macos-unified-log'. */
  readonly name: string;
  start(handlers: LoginSourceHandlers): Promise<void>;
  stop(): Promise<void>;
}
