import { describe, expect, it } from 'vitest';
import { expectResult, fixtureLines, pairLines, type Table } from './fixtures/expect.fixture';
import { parseJournalRecord } from './journal-record';

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

  it.each(fixtureLines('journal-malformed.ndjson'))('malformed → error: %s', (line) => {
    const result = parseJournalRecord(line);
    expect(result.kind).toBe('error');
    if (result.kind === 'error') expect(result.reason).toMatch(/journal|sshd/);
  });
});
