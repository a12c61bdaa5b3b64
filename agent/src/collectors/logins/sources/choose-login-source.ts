// Which login source this host reads. One per host: where rsyslog writes
// /var/log/auth.log it reads the same records journald holds, and reading both
// would count every login twice.
//   auto     → the auth log when one is configured or exists, else journald when
//              journalctl is on PATH, else none (sessions from utmp still run);
//   authlog  → the auth log (waited for if it does not exist yet);
//   journald → journalctl -f -o json;
//   none     → no log source.
// Windows and macOS always read their own log (the Linux choice does not apply).

export type LoginSourceSetting = 'auto' | 'authlog' | 'journald' | 'none';
export type LoginSourceKind = 'authlog' | 'journald' | 'windows-security' | 'macos-unified-log' | 'none';

export interface LoginSourceFacts {
  platform: NodeJS.Platform;
  setting: LoginSourceSetting;
  /** The configured auth log, or the default one when it exists; null otherwise. */
  authLog: string | null;
  journalctlExists: boolean;
}

export interface LoginSourceChoice {
  kind: LoginSourceKind;
  /** Why, for the start-up log line. */
  reason: string;
}

export function chooseLoginSource(facts: LoginSourceFacts): LoginSourceChoice {
  if (facts.platform === 'win32') return { kind: 'windows-security', reason: 'Windows' };
  if (facts.platform === 'darwin') return { kind: 'macos-unified-log', reason: 'macOS' };
  switch (facts.setting) {
    case 'none':
      return { kind: 'none', reason: 'logins.source is none' };
    case 'authlog':
      return facts.authLog
        ? { kind: 'authlog', reason: 'logins.source is authlog' }
        : { kind: 'none', reason: 'logins.source is authlog but no auth log is known' };
    case 'journald':
      return facts.journalctlExists
        ? { kind: 'journald', reason: 'logins.source is journald' }
        : { kind: 'none', reason: 'logins.source is journald but journalctl is not on PATH' };
    case 'auto':
      if (facts.authLog)
        return { kind: 'authlog', reason: 'an auth log exists (journald not read as well, to count each login once)' };
      if (facts.journalctlExists) return { kind: 'journald', reason: 'no auth log, journalctl present' };
      return { kind: 'none', reason: 'no auth log and no journalctl' };
  }
}
