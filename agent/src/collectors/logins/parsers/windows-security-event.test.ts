import { describe, expect, it } from 'vitest';
import { expectResult, fixtureLines, pairLines, type Table } from './fixtures/expect.fixture';
import { parseWindowsSecurityEvent } from './windows-security-event';
import { encodePowerShell } from '../../windows-security-log/security-log-script';
import { WINDOWS_LOGIN_EVENT_IDS, WINDOWS_SECURITY_SCRIPT } from './windows-security-script';

const table: Table = [
  [
    '"recordId":81231,',
    {
      action: 'logon',
      user: 'nurse.jones',
      login: {
        service: 'windows',
        method: 'interactive',
        sourceIp: '127.0.0.1',
        sourcePort: 0,
        sourceHost: 'WS-ICU-07',
      },
    },
  ],
  [
    '"recordId":81232,',
    {
      action: 'logon',
      user: 'dr.smith',
      login: { method: 'remote-interactive', sourceIp: '10.40.1.22', sourcePort: 53211, sourceHost: 'RADIOLOGY-02' },
    },
  ],
  ['"recordId":81233,', { action: 'logon', user: 'svc-backup', login: { method: 'network', sourceIp: '10.40.9.5' } }],
  ['"recordId":81234,', 'ignored'],
  ['"recordId":81235,', 'ignored'],
  ['"recordId":81236,', 'ignored'],
  [
    '"recordId":81237,',
    { action: 'logon', user: 'nurse.jones', login: { method: 'cached-interactive', sourceIp: '', sourcePort: 0 } },
  ],
  [
    '"recordId":81238,',
    {
      action: 'failed_logon',
      user: 'administrator',
      login: { method: 'network', sourceIp: '198.51.100.66', sourcePort: 50432, sourceHost: 'KALI' },
    },
  ],
  [
    '"recordId":81239,',
    { action: 'failed_logon', user: 'FILESRV01$', login: { sourceIp: '10.40.3.3', sourceHost: '' } },
  ],
  ['"recordId":81240,', { action: 'logoff', user: 'nurse.jones', login: { method: 'interactive' } }],
  ['"recordId":81241,', 'ignored'],
  ['"recordId":81242,', { action: 'logoff', user: 'nurse.jones', login: { method: 'user-initiated' } }],
  [
    '"recordId":81243,',
    {
      action: 'privilege_use',
      user: 'nurse.jones',
      login: { method: 'explicit-credentials', targetUser: 'it.admin', sourceHost: 'FILESRV01', sourceIp: '' },
    },
  ],
  ['"recordId":81244,', 'ignored'],
  ['"recordId":81245,', { action: 'privilege_use', user: 'it.admin', login: { method: 'special-privileges' } }],
  ['"recordId":81246,', 'ignored'],
  ['"recordId":81247,', { action: 'logoff', user: 'nurse.jones', login: { method: 'lock' } }],
  ['"recordId":81248,', { action: 'logon', user: 'nurse.jones', login: { method: 'unlock' } }],
  [
    '"recordId":81249,',
    {
      action: 'logon',
      user: 'dr.smith',
      login: { method: 'session-reconnect', tty: 'RDP-Tcp#3', sourceHost: 'RADIOLOGY-02', sourceIp: '10.40.1.22' },
    },
  ],
  [
    '"recordId":81250,',
    { action: 'logoff', user: 'dr.smith', login: { method: 'session-disconnect', tty: 'RDP-Tcp#3' } },
  ],
  ['"recordId":81251,', 'ignored'],
  ['/Date(', { action: 'logon', user: 'nurse.lee', login: { method: 'unlock', sourceHost: 'WS-ICU-07' } }],
];

describe('parseWindowsSecurityEvent', () => {
  it.each(pairLines(fixtureLines('windows-security.ndjson'), table))('%s', (line, expected) => {
    expectResult(parseWindowsSecurityEvent(line), expected);
  });

  it('reads ISO times with 7 fraction digits and the /Date(ms)/ form', () => {
    const iso = parseWindowsSecurityEvent(
      '{"id":4801,"time":"2026-11-22T10:05:00.1234567Z","data":{"TargetUserName":"a","TargetDomainName":"W"}}',
    );
    expect(iso.kind === 'login' && iso.value.timeMs).toBe(Date.UTC(2026, 10, 22, 10, 5, 0, 123));
    const ms = parseWindowsSecurityEvent(
      '{"id":4801,"time":"/Date(1795338672123)/","data":{"TargetUserName":"a","TargetDomainName":"W"}}',
    );
    expect(ms.kind === 'login' && ms.value.timeMs).toBe(1795338672123);
  });

  it.each(fixtureLines('windows-security-malformed.ndjson'))('malformed → error: %s', (line) => {
    const result = parseWindowsSecurityEvent(line);
    expect(result.kind).toBe('error');
    if (result.kind === 'error') expect(result.reason).toMatch(/Windows event/);
  });

  it('queries exactly the event ids the parser maps, in a script PowerShell can take encoded', () => {
    expect(WINDOWS_SECURITY_SCRIPT).toContain(`@(${WINDOWS_LOGIN_EVENT_IDS.join(',')})`);
    for (const id of WINDOWS_LOGIN_EVENT_IDS) {
      const r = parseWindowsSecurityEvent(
        JSON.stringify({
          id,
          time: '2026-11-22T10:00:00Z',
          data: { TargetUserName: 'u', SubjectUserName: 'u', AccountName: 'u' },
        }),
      );
      expect(r.kind, `event ${id}`).toBe('login');
    }
    expect(Buffer.from(encodePowerShell(WINDOWS_SECURITY_SCRIPT), 'base64').toString('utf16le')).toBe(
      WINDOWS_SECURITY_SCRIPT,
    );
  });
});
