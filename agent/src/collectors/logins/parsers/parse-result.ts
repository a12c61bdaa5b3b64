// What every login parser (Linux auth log, journald, Windows Security log,
// macOS unified log) returns for one input record.
import type { LoginActivity } from '@wardwatch/proto';

export interface ParsedLogin {
  timeMs: number;
  /** The account the activity is about, in clear; pseudonymised later by the pipeline. */
  user: string;
  outcome: 'success' | 'failure';
  login: LoginActivity;
}

export type ParseResult =
  | { kind: 'login'; value: ParsedLogin }
  /** A well-formed record that is not about logins (most of an auth log). */
  | { kind: 'ignored' }
  /** A record that looked like a login record but could not be read: counted. */
  | { kind: 'error'; reason: string };
