// What every login parser (Linux auth log, journald, Windows Security log,
// macOS unified log) returns for one input record.
import type { LoginActivity } from '@wardwatch/proto';

export interface ParsedLogin {
  timeMs: number;
  /** The account the activity is about, in clear; pseudonymised later by the pipeline. */
  user: string;
  outcome: 'success' | 'failure';
  login: LoginActivity;
  /**
   * Set on failed logons: how this record counts towards the failed attempts
   * of one connection (`../attempts/attempt-ledger.ts` turns the layers of one
   * attempt into one failed logon). Absent: the record is one logon event.
   */
  attempt?: AttemptMark;
}

/**
 * - `program`: the program's own report of `count` attempts (sshd `Failed …`,
 *   `FAILED LOGIN`, `FAILED SU`, ftpd, klogind; a `message repeated N times`
 *   of one of them counts N).
 * - `pam`: pam_unix's report of the same attempts (`authentication failure`
 *   counts 1, `N more authentication failures` counts N).
 * - `summary`: a line that says the connection failed without adding an
 *   attempt of its own (`Invalid user`, `Too many authentication failures`,
 *   `maximum authentication attempts exceeded`, `TOO MANY LOGIN TRIES`).
 */
export type AttemptLayer = 'program' | 'pam' | 'summary';

export interface AttemptMark {
  layer: AttemptLayer;
  count: number;
  /** host, program tag and pid of the writer: one connection; absent when the record has no pid. */
  key?: string;
}

export type ParseResult =
  | { kind: 'login'; value: ParsedLogin }
  /** A well-formed record that is not about logins (most of an auth log). */
  | { kind: 'ignored' }
  /** A record that looked like a login record but could not be read: counted. */
  | { kind: 'error'; reason: string };
