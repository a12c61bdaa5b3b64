import { describe, expect, it } from 'vitest';
import { expectResult, fixtureLines, pairLines, type Table } from './fixtures/expect.fixture';
import { parseJournalRecord } from './journal-record';
import { parseLinuxAuthLine } from './linux-auth-line';
import type { ParseResult } from './parse-result';

const table: Table = [
  [
    'Accepted publickey for alice',
    {
      action: 'logon',
      user: 'alice',
      login: { service: 'sshd', method: 'publickey', sourceIp: '10.1.2.3', sourcePort: 50022 },
    },
  ],
  [
    'Failed password for invalid user admin',
    { action: 'failed_logon', user: 'admin', login: { sourceIp: '203.0.113.5' } },
  ],
  ['Disconnected from user alice', { action: 'logoff', user: 'alice', login: { method: 'disconnect' } }],
  ['session closed for user alice', { action: 'logoff', user: 'alice', login: { service: 'sshd' } }],
  [
    '"SYSLOG_IDENTIFIER":"sudo"',
    { action: 'privilege_use', user: 'bob', login: { service: 'sudo', targetUser: 'root', tty: 'pts/1' } },
  ],
  ['su-l:session', { action: 'privilege_use', user: 'carol', login: { service: 'su', targetUser: 'root' } }],
  ['gdm-password:session', { action: 'logon', user: 'nurse1', login: { service: 'gdm', method: 'graphical' } }],
  ['New session 3', 'ignored'],
  ['"MESSAGE":null', 'ignored'],
  ['FAILED LOGIN', { action: 'failed_logon', user: 'dave', login: { service: 'login', tty: 'tty3' } }],
];

describe('parseJournalRecord', () => {
  it.each(pairLines(fixtureLines('journal.ndjson'), table))('%s', (line, expected) => {
    expectResult(parseJournalRecord(line), expected);
  });

  it('takes the time from __REALTIME_TIMESTAMP (µs) and decodes byte-array messages', () => {
    const line = JSON.stringify({
      __REALTIME_TIMESTAMP: '1795338672123456',
      SYSLOG_IDENTIFIER: 'sshd',
      _PID: '9',
      MESSAGE: [...Buffer.from('Accepted password for zo\u00e9 from 10.0.0.1 port 2222 ssh2')],
    });
    const result = parseJournalRecord(line);
    expect(result.kind).toBe('login');
    if (result.kind !== 'login') return;
    expect(result.value.timeMs).toBe(1795338672123);
    expect(result.value.user).toBe('zoé');
    expect(result.value.login.raw).toBe('sshd[9]: Accepted password for zoé from 10.0.0.1 port 2222 ssh2');
  });

  it('keys a failed attempt by host, program and pid, like an auth-log line of the same process', () => {
    const record = (message: string) =>
      JSON.stringify({
        __REALTIME_TIMESTAMP: '1795338674592590',
        _HOSTNAME: 'ward-ws-09',
        SYSLOG_IDENTIFIER: 'sshd',
        _PID: '7002',
        MESSAGE: message,
      });
    const failed = parseJournalRecord(record('Failed password for root from 203.0.113.5 port 33000 ssh2'));
    const pam = parseJournalRecord(
      record('PAM 2 more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.5  user=root'),
    );
    const line = parseLinuxAuthLine(
      'Nov 22 10:00:00 ward-ws-09 sshd[7002]: Failed password for root from 203.0.113.5 port 33000 ssh2',
      { year: 2026 },
    );
    const mark = (r: ParseResult) => (r.kind === 'login' ? r.value.attempt : undefined);
    expect(mark(failed)).toEqual({ layer: 'program', count: 1, key: 'ward-ws-09\u0000sshd\u00007002' });
    expect(mark(pam)).toEqual({ layer: 'pam', count: 2, key: mark(failed)?.key });
    expect(mark(line)?.key).toBe(mark(failed)?.key);
  });

  it.each(fixtureLines('journal-malformed.ndjson'))('malformed → error: %s', (line) => {
    const result = parseJournalRecord(line);
    expect(result.kind).toBe('error');
    if (result.kind === 'error') expect(result.reason).toMatch(/journal|sshd/);
  });
});
