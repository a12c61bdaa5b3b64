import { describe, expect, it } from 'vitest';
import { expectResult, fixtureLines, pairLines, type Table } from './fixtures/expect.fixture';
import { MACOS_LOGIN_PREDICATE, parseMacosLogRecord } from './macos-log-record';

const table: Table = [
  ['Filtering the log data', 'ignored'],
  [
    'USER_PROCESS: 153',
    { action: 'logon', user: 'uid:501', login: { service: 'loginwindow', method: 'console', tty: 'console' } },
  ],
  ['screenIsLocked', { action: 'logoff', user: 'uid:501', login: { method: 'lock' } }],
  ['screenIsUnlocked', { action: 'logon', user: 'uid:501', login: { method: 'unlock' } }],
  ['DEAD_PROCESS', { action: 'logoff', user: 'uid:501', login: { method: 'console' } }],
  ['Touch ID', 'ignored'],
  [
    'Succeeded authorizing right',
    {
      action: 'privilege_use',
      user: '',
      login: {
        service: 'authd',
        method: 'authorization:system.preferences.security',
        sourceHost: 'System Settings.app',
      },
    },
  ],
  [
    'Failed to authorize right',
    {
      action: 'privilege_use',
      user: '',
      outcome: 'failure',
      login: { method: 'authorization:system.privilege.admin', sourceHost: 'security_authtrampoline' },
    },
  ],
  [
    'Accepted publickey for alice',
    { action: 'logon', user: 'alice', login: { service: 'sshd', sourceIp: '10.0.0.8', sourcePort: 50111 } },
  ],
  ['invalid user guest', { action: 'failed_logon', user: 'guest', login: { service: 'sshd' } }],
  [
    'COMMAND=/usr/sbin/softwareupdate',
    { action: 'privilege_use', user: 'alice', login: { service: 'sudo', targetUser: 'root', tty: 'ttys001' } },
  ],
  [
    '1 incorrect password attempt',
    { action: 'failed_logon', user: 'alice', login: { service: 'sudo', targetUser: 'root' } },
  ],
];

describe('parseMacosLogRecord', () => {
  it.each(pairLines(fixtureLines('macos-log.ndjson'), table))('%s', (line, expected) => {
    expectResult(parseMacosLogRecord(line), expected);
  });

  it('reads the ndjson timestamp with its offset', () => {
    const line = fixtureLines('macos-log.ndjson').find((l) => l.includes('screenIsUnlocked'))!;
    const result = parseMacosLogRecord(line);
    expect(result.kind === 'login' && result.value.timeMs).toBe(Date.UTC(2026, 10, 22, 9, 20, 0, 500));
  });

  it.each(fixtureLines('macos-log-malformed.ndjson'))('malformed → error: %s', (line) => {
    const result = parseMacosLogRecord(line);
    expect(result.kind).toBe('error');
    if (result.kind === 'error') expect(result.reason.length).toBeGreaterThan(5);
  });

  it('selects every process the parser reads', () => {
    for (const name of ['loginwindow', 'com.apple.Authorization', 'sshd', 'sshd-session', 'sudo'])
      expect(MACOS_LOGIN_PREDICATE).toContain(`"${name}"`);
  });
});
