import { describe, expect, it } from 'vitest';
import { expectResult, fixtureLines, pairLines, type Table } from './fixtures/expect.fixture';
import { parseLinuxAuthLine } from './linux-auth-line';

const ctx = { year: 2026, utcOffsetMinutes: 60 };

const table: Table = [
  [
    'Accepted password for alice',
    {
      action: 'logon',
      user: 'alice',
      login: { service: 'sshd', method: 'password', sourceIp: '10.20.30.40', sourcePort: 52144 },
    },
  ],
  [
    '08:01:13 ward-ws-07 sshd[2231]: pam_unix(sshd:session): session opened',
    { action: 'logon', user: 'alice', login: { service: 'sshd', method: 'pam' } },
  ],
  [
    'Accepted publickey for bob',
    { action: 'logon', user: 'bob', login: { method: 'publickey', sourceIp: '10.20.30.41', sourcePort: 40022 } },
  ],
  [
    'Accepted keyboard-interactive/pam for carol',
    {
      action: 'logon',
      user: 'carol',
      login: { method: 'keyboard-interactive', sourceIp: '2001:db8::17', sourcePort: 61000 },
    },
  ],
  [
    'Failed password for alice',
    { action: 'failed_logon', user: 'alice', login: { method: 'password', sourcePort: 52150 } },
  ],
  [
    'Failed password for invalid user admin',
    {
      action: 'failed_logon',
      user: 'admin',
      login: { method: 'password/invalid-user', sourceIp: '203.0.113.9', sourcePort: 41234 },
    },
  ],
  [
    'Failed publickey for bob',
    { action: 'failed_logon', user: 'bob', login: { method: 'publickey', sourceIp: '10.20.30.41' } },
  ],
  [
    'Failed none for invalid user oracle',
    { action: 'failed_logon', user: 'oracle', login: { method: 'none/invalid-user' } },
  ],
  [
    'Invalid user oracle from',
    {
      action: 'failed_logon',
      user: 'oracle',
      login: { method: 'invalid-user', sourceIp: '203.0.113.9', sourcePort: 41240 },
    },
  ],
  [
    'Invalid user test from',
    { action: 'failed_logon', user: 'test', login: { sourceIp: '198.51.100.23', sourcePort: 0 } },
  ],
  ['Received disconnect', 'ignored'],
  [
    'Disconnected from user alice',
    { action: 'logoff', user: 'alice', login: { method: 'disconnect', sourceIp: '10.20.30.40', sourcePort: 52144 } },
  ],
  [
    'pam_unix(sshd:session): session closed for user alice',
    { action: 'logoff', user: 'alice', login: { service: 'sshd' } },
  ],
  ['Connection closed by authenticating user', 'ignored'],
  [
    'rhost=203.0.113.9  user=root',
    { action: 'failed_logon', user: 'root', login: { service: 'sshd', sourceIp: '203.0.113.9', tty: '' } },
  ],
  [
    'rhost=scanner.example.net',
    { action: 'failed_logon', user: '', login: { sourceHost: 'scanner.example.net', sourceIp: '' } },
  ],
  ['Accepted publickey for dave', { action: 'logon', user: 'dave', login: { service: 'sshd', method: 'publickey' } }],
  [
    'sshd(pam_unix)[4512]: authentication failure',
    { action: 'failed_logon', user: 'root', login: { service: 'sshd', sourceIp: '192.0.2.77', tty: '' } },
  ],
  ['session opened for user erin', { action: 'logon', user: 'erin', login: { service: 'sshd', method: 'pam' } }],
  ['session closed for user erin', { action: 'logoff', user: 'erin', login: { service: 'sshd' } }],
  ['check pass; user unknown', 'ignored'],
  [
    'pam_unix(login:session): session opened for user frank',
    { action: 'logon', user: 'frank', login: { service: 'login', method: 'console' } },
  ],
  [
    'LOGIN ON tty1 BY frank',
    { action: 'logon', user: 'frank', login: { service: 'login', method: 'console', tty: 'tty1' } },
  ],
  [
    "FAILED LOGIN (1) on '/dev/tty2' FOR 'grace'",
    { action: 'failed_logon', user: 'grace', login: { service: 'login', tty: 'tty2' } },
  ],
  ['FAILED LOGIN 1 FROM tty3 FOR heidi', { action: 'failed_logon', user: 'heidi', login: { tty: 'tty3' } }],
  ['ROOT LOGIN', { action: 'logon', user: 'root', login: { tty: 'tty1', method: 'console' } }],
  ['TOO MANY LOGIN TRIES', { action: 'failed_logon', user: 'grace', login: { tty: 'tty2' } }],
  [
    'pam_unix(su:session): session opened for user root(uid=0) by alice',
    { action: 'privilege_use', user: 'alice', login: { service: 'su', targetUser: 'root' } },
  ],
  [
    'su[2400]: (to root)',
    { action: 'privilege_use', user: 'alice', login: { service: 'su', targetUser: 'root', tty: 'pts/1' } },
  ],
  [
    'pam_unix(su:auth): authentication failure',
    { action: 'failed_logon', user: 'alice', login: { service: 'su', targetUser: 'root', tty: 'pts/1' } },
  ],
  [
    'FAILED SU (to root) alice',
    { action: 'failed_logon', user: 'alice', login: { service: 'su', targetUser: 'root', tty: 'pts/1' } },
  ],
  ['FAILED su for postgres by bob', { action: 'failed_logon', user: 'bob', login: { targetUser: 'postgres' } }],
  [
    '+ /dev/pts/2 bob:postgres',
    { action: 'privilege_use', user: 'bob', login: { targetUser: 'postgres', tty: 'pts/2' } },
  ],
  // The open is the privilege use; the close names only the target, who never logged on.
  ['pam_unix(su:session): session closed for user root', 'ignored'],
  [
    'COMMAND=/usr/bin/systemctl restart cups',
    { action: 'privilege_use', user: 'alice', login: { service: 'sudo', targetUser: 'root', tty: 'pts/0' } },
  ],
  ['pam_unix(sudo:session): session opened', 'ignored'],
  ['pam_unix(sudo:session): session closed', 'ignored'],
  [
    'pam_unix(sudo:auth): authentication failure',
    { action: 'failed_logon', user: 'bob', login: { service: 'sudo', tty: 'pts/3' } },
  ],
  [
    '3 incorrect password attempts',
    {
      action: 'failed_logon',
      user: 'bob',
      login: { service: 'sudo', method: 'password', targetUser: 'root', tty: 'pts/3' },
    },
  ],
  [
    'user NOT in sudoers',
    { action: 'privilege_use', user: 'mallory', outcome: 'failure', login: { targetUser: 'root', tty: 'pts/4' } },
  ],
  ['TTY=unknown', { action: 'privilege_use', user: 'alice', login: { targetUser: 'backup', tty: '' } }],
  [
    'pam_unix(gdm-password:session)',
    { action: 'logon', user: 'nurse1', login: { service: 'gdm', method: 'graphical' } },
  ],
  ['pam_unix(gdm-password:auth)', { action: 'failed_logon', user: 'nurse1', login: { service: 'gdm', tty: 'tty1' } }],
  ['gdm-launch-environment', 'ignored'],
  [
    'pam_unix(lightdm:session): session opened for user nurse2',
    { action: 'logon', user: 'nurse2', login: { service: 'lightdm', method: 'graphical' } },
  ],
  ['lightdm-greeter', 'ignored'],
  [
    'pam_unix(lightdm:session): session closed for user nurse2',
    { action: 'logoff', user: 'nurse2', login: { service: 'lightdm' } },
  ],
  ['pam_unix(sddm:auth)', { action: 'failed_logon', user: 'doctor3', login: { service: 'sddm', tty: ':0' } }],
  ['pam_unix(sddm:session)', { action: 'logon', user: 'doctor3', login: { service: 'sddm' } }],
  ['CRON[3001]', 'ignored'],
  ['polkitd', 'ignored'],
  ['vsftpd', { action: 'failed_logon', user: 'ivan', login: { service: 'vsftpd', sourceIp: '10.20.30.50' } }],
  ['cups-pam', { action: 'logon', user: 'judy', login: { service: 'cups', method: 'pam' } }],
  ['systemd-logind', 'ignored'],
  ['kernel:', 'ignored'],
  [
    'Accepted password for kim',
    { action: 'logon', user: 'kim', login: { sourceIp: '192.168.1.20', sourcePort: 50123 } },
  ],
  ['COMMAND=/usr/bin/apt update', { action: 'privilege_use', user: 'kim', login: { targetUser: 'root' } }],
  ['Failed password for kim', { action: 'failed_logon', user: 'kim', login: { sourcePort: 50130 } }],
  // sshd with UseDNS: the name is a host, never an address.
  [
    'for root from gw-17.example.net',
    {
      action: 'failed_logon',
      user: 'root',
      login: { sourceHost: 'gw-17.example.net', sourceIp: '', sourcePort: 52001 },
    },
  ],
  [
    'message repeated 5 times',
    {
      action: 'failed_logon',
      user: 'root',
      login: { method: 'password', sourceIp: '203.0.113.50', sourcePort: 52002 },
    },
  ],
  [
    'PAM 5 more authentication failures',
    { action: 'failed_logon', user: 'root', login: { service: 'sshd', method: 'pam', sourceIp: '203.0.113.50' } },
  ],
  [
    'Too many authentication failures for root',
    { action: 'failed_logon', user: 'root', login: { service: 'sshd', method: 'too-many', sourceIp: '' } },
  ],
  [
    'Disconnecting authenticating user nurse.jones',
    {
      action: 'failed_logon',
      user: 'nurse.jones',
      login: { method: 'too-many', sourceIp: '203.0.113.51', sourcePort: 52010 },
    },
  ],
  [
    'maximum authentication attempts exceeded',
    {
      action: 'failed_logon',
      user: 'backup',
      login: { method: 'too-many/invalid-user', sourceIp: '203.0.113.52', sourcePort: 52020 },
    },
  ],
  ['sshd[3104]: Disconnecting', { action: 'failed_logon', user: '', login: { sourceIp: '', sourceHost: '' } }],
  [
    'ANONYMOUS FTP LOGIN',
    { action: 'logon', user: 'anonymous', login: { service: 'ftpd', method: 'anonymous', sourceIp: '198.51.100.4' } },
  ],
  [
    'FTP LOGIN FROM lab-pc3',
    {
      action: 'logon',
      user: 'pharm.tech',
      login: { service: 'ftpd', sourceHost: 'lab-pc3.example.org', sourceIp: '192.0.2.33' },
    },
  ],
  ['as radiology', { action: 'logon', user: 'radiology', login: { service: 'ftpd', sourceIp: '192.0.2.34' } }],
  [
    'FTP LOGIN FAILED',
    { action: 'failed_logon', user: 'admin', login: { service: 'ftpd', method: 'password', sourceIp: '192.0.2.35' } },
  ],
  ['FTP LOGIN REFUSED', { action: 'failed_logon', user: 'root', login: { method: 'refused', sourceIp: '192.0.2.36' } }],
  [
    'wu-ftpd[4105]: failed login',
    { action: 'failed_logon', user: '', login: { sourceHost: 'probe.example.com', sourceIp: '198.51.100.77' } },
  ],
  ['repeated login failures', { action: 'failed_logon', user: '', login: { sourceIp: '198.51.100.77' } }],
  [
    'klogind[5100]',
    { action: 'failed_logon', user: '', login: { service: 'klogind', method: 'kerberos', sourceIp: '192.0.2.9' } },
  ],
  [
    'klogind[5101]',
    { action: 'failed_logon', user: '', login: { sourceHost: 'kdc-test.example.org', sourceIp: '192.0.2.10' } },
  ],
  [
    'FAILED LOGIN 2 FROM term-12',
    {
      action: 'failed_logon',
      user: 'root',
      login: { service: 'login', method: 'remote', tty: '', sourceHost: 'term-12.example.org' },
    },
  ],
  [
    'pam_unix(login:auth): 2 more',
    { action: 'failed_logon', user: 'grace', login: { service: 'login', method: 'console', tty: 'tty2' } },
  ],
  [
    'pam_unix(lightdm:auth)',
    { action: 'failed_logon', user: 'nurse2', login: { service: 'lightdm', method: 'graphical', tty: ':0' } },
  ],
  // Classic syslog: root's su to cyrus is root's privilege use; its close is not cyrus logging off.
  [
    'su(pam_unix)[4600]: session opened for user cyrus',
    { action: 'privilege_use', user: 'root', login: { service: 'su', targetUser: 'cyrus' } },
  ],
  ['su(pam_unix)[4600]: session closed for user cyrus', 'ignored'],
];

describe('parseLinuxAuthLine', () => {
  const rows = pairLines(fixtureLines('linux-auth.log'), table);

  it.each(rows)('%s', (line, expected) => {
    expectResult(parseLinuxAuthLine(line, ctx), expected);
  });

  it('covers every action', () => {
    const actions = new Set(
      rows
        .map(([line]) => parseLinuxAuthLine(line, ctx))
        .flatMap((r) => (r.kind === 'login' ? [r.value.login.action] : [])),
    );
    expect([...actions].sort()).toEqual(['failed_logon', 'logoff', 'logon', 'privilege_use']);
  });

  it.each(fixtureLines('linux-auth-malformed.log'))('malformed → error with a reason: %s', (line) => {
    const result = parseLinuxAuthLine(line, ctx);
    expect(result.kind).toBe('error');
    if (result.kind === 'error') expect(result.reason.length).toBeGreaterThan(5);
  });

  it('reads classic time in the given zone and RFC 3339 time with its own offset', () => {
    const classic = parseLinuxAuthLine(
      'Nov  2 08:04:09 h sshd[1]: Failed password for a from 1.2.3.4 port 5 ssh2',
      ctx,
    );
    expect(classic.kind === 'login' && classic.value.timeMs).toBe(Date.UTC(2026, 10, 2, 7, 4, 9));
    const iso = parseLinuxAuthLine(
      '2026-11-22T10:11:12.123456+01:00 h sshd[1]: Accepted password for a from 1.2.3.4 port 5 ssh2',
      ctx,
    );
    expect(iso.kind === 'login' && iso.value.timeMs).toBe(Date.UTC(2026, 10, 22, 9, 11, 12, 123));
    const zulu = parseLinuxAuthLine(
      '2026-11-22T10:12:00.5Z h sshd[1]: Accepted password for a from 1.2.3.4 port 5 ssh2',
      ctx,
    );
    expect(zulu.kind === 'login' && zulu.value.timeMs).toBe(Date.UTC(2026, 10, 22, 10, 12, 0, 500));
  });

  it('puts a December line read in early January in the year before', () => {
    const line = 'Dec 31 23:59:58 h sshd[1]: Accepted password for a from 1.2.3.4 port 5 ssh2';
    const result = parseLinuxAuthLine(line, { year: 2027, utcOffsetMinutes: 0, nowMs: Date.UTC(2027, 0, 1, 0, 0, 5) });
    expect(result.kind === 'login' && result.value.timeMs).toBe(Date.UTC(2026, 11, 31, 23, 59, 58));
    const same = parseLinuxAuthLine(line.replace('Dec 31', 'Jan  1').replace('23:59:58', '00:00:01'), {
      year: 2027,
      utcOffsetMinutes: 0,
      nowMs: Date.UTC(2027, 0, 1, 0, 0, 5),
    });
    expect(same.kind === 'login' && same.value.timeMs).toBe(Date.UTC(2027, 0, 1, 0, 0, 1));
  });

  it('caps raw at 512 characters and strips a CRLF ending', () => {
    const long = `Nov 22 08:01:13 h sshd[1]: Accepted password for alice from 1.2.3.4 port 22 ssh2 ${'x'.repeat(5000)}\r\n`;
    const result = parseLinuxAuthLine(long, ctx);
    expect(result.kind === 'login' && result.value.login.raw.length).toBe(512);
    expect(
      parseLinuxAuthLine('Nov 22 08:01:13 h sshd[1]: Accepted password for a from 1.2.3.4 port 22 ssh2\r\n', ctx).kind,
    ).toBe('login');
  });

  it('marks how each failed line counts, keyed by host, program and pid', () => {
    const mark = (line: string) => {
      const r = parseLinuxAuthLine(line, ctx);
      return r.kind === 'login' ? r.value.attempt : undefined;
    };
    const at = 'Nov 22 10:40:02 ward-ws-07 ';
    expect(
      mark(`${at}sshd[3101]: message repeated 5 times: [ Failed password for root from 1.2.3.4 port 5 ssh2]`),
    ).toEqual({
      layer: 'program',
      count: 5,
      key: 'ward-ws-07\u0000sshd\u00003101',
    });
    expect(
      mark(
        `${at}sshd[7]: PAM 3 more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= rhost=1.2.3.4  user=root`,
      ),
    ).toMatchObject({ layer: 'pam', count: 3 });
    expect(mark(`${at}sshd[7]: Invalid user zz from 1.2.3.4 port 5`)).toMatchObject({ layer: 'summary', count: 1 });
    // A repeated summary is still one summary; a hostile count is capped.
    expect(mark(`${at}sshd[7]: message repeated 4 times: [ Invalid user zz from 1.2.3.4 port 5]`)).toMatchObject({
      layer: 'summary',
      count: 1,
    });
    expect(
      mark(`${at}sshd[7]: message repeated 999999999 times: [ Failed password for a from 1.2.3.4 port 5 ssh2]`),
    ).toMatchObject({ count: 1000 });
    // No pid: no key, the line stands alone.
    expect(
      mark(
        `${at}sudo: pam_unix(sudo:auth): authentication failure; logname=bob uid=1002 euid=0 tty=/dev/pts/3 ruser=bob rhost=  user=bob`,
      ),
    ).toEqual({ layer: 'pam', count: 1 });
    // Logons carry no mark.
    expect(mark(`${at}sshd[7]: Accepted password for a from 1.2.3.4 port 5 ssh2`)).toBeUndefined();
  });

  it('ignores blank lines and rejects an out-of-range port', () => {
    expect(parseLinuxAuthLine('   ', ctx)).toEqual({ kind: 'ignored' });
    const result = parseLinuxAuthLine(
      'Nov 22 08:01:13 h sshd[1]: Accepted password for a from 1.2.3.4 port 99999 ssh2',
      ctx,
    );
    expect(result.kind === 'login' && result.value.login.sourcePort).toBe(0);
  });
});
