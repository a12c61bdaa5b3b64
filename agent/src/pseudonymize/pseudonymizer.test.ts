import { randomBytes } from 'node:crypto';
import { parsePseudonym, pseudonymMac } from '@wardwatch/shared/pseudonyms';
import { Severity, type Event } from '@wardwatch/proto';
import { describe, expect, it } from 'vitest';
import { parseLinuxAuthLine } from '../collectors/logins/parsers/linux-auth-line';
import { pseudonymizeEvent } from './pseudonymize-event';
import { Pseudonymizer } from './pseudonymizer';

const key = Buffer.alloc(32, 7);
const folders = [{ path: '/srv/records', class: 'phi' }];

describe('Pseudonymizer', () => {
  it('is stable for one key, differs between keys and between people', () => {
    const a = new Pseudonymizer(key);
    expect(a.user('nurse.jones')).toBe(new Pseudonymizer(Buffer.from(key)).user('HOSPITAL\\Nurse.Jones'));
    expect(a.user('nurse.jones')).toMatch(/^u_[0-9a-f]{16}$/);
    expect(a.user('nurse.jones')).not.toBe(new Pseudonymizer(randomBytes(32)).user('nurse.jones'));
    expect(a.user('nurse.jones')).not.toBe(a.user('nurse.smith'));
    expect(a.user('')).toBe('');
    expect(() => new Pseudonymizer(Buffer.alloc(8))).toThrow(/at least 16 bytes/);
  });

  it('keeps class, depth and a well-known extension in a path token, and keys an unusual extension', () => {
    const p = new Pseudonymizer(key, { folders });
    expect(p.path('/srv/records/ward3/discharge.pdf')).toMatch(/^p_phi_d2_[0-9a-f]{16}\.pdf$/);
    expect(p.path('/media/jones/STICK/export/list.XLSX')).toMatch(/^p_removable_d2_[0-9a-f]{16}\.xlsx$/);
    expect(p.path('/home/jones/notes.jones')).toMatch(/^p_other_d3_[0-9a-f]{16}\.~[0-9a-f]{6}$/);
    expect(p.path('C:\\Users\\Jones\\AppData\\Local\\Temp\\mimikatz.exe')).toMatch(/^p_other_d6_[0-9a-f]{16}\.exe$/);
    expect(p.path('C:\\ProgramData\\x\\tool.ps1')).toMatch(/^p_system_d2_[0-9a-f]{16}\.ps1$/);
    // One file, one token, whichever way Windows spelt it.
    expect(p.path('c:/users/jones/a.docx')).toBe(p.path('C:\\Users\\JONES\\a.docx'));
  });

  it('leaves in clear only OS accounts, loopback addresses and system software paths', () => {
    const p = new Pseudonymizer(key);
    expect([p.user('root'), p.user('NT AUTHORITY\\SYSTEM'), p.user('Administrator')]).toEqual([
      'root',
      'system',
      expect.stringMatching(/^u_/),
    ]);
    expect([p.ip('127.0.0.1'), p.ip('::1'), p.ip('10.1.2.3')]).toEqual([
      '127.0.0.1',
      '::1',
      expect.stringMatching(/^ip_/),
    ]);
    expect([p.host('localhost'), p.host('ward3-ws12'), p.host('203.0.113.7')]).toEqual([
      'localhost',
      expect.stringMatching(/^h_/),
      p.ip('203.0.113.7'),
    ]);
    expect(p.path('/usr/bin/ssh')).toBe('/usr/bin/ssh');
    expect(p.path('C:\\Windows\\System32\\rundll32.exe')).toBe('c:\\windows\\system32\\rundll32.exe');
    expect(p.path('C:\\Program Files\\EHR\\ehr.exe')).toBe('c:\\program files\\ehr\\ehr.exe');
    for (const dropped of ['C:\\Windows\\Temp\\jones.exe', '/usr/bin/../../home/jones/x', '/usr/lib/x/\u0007bell'])
      expect(p.path(dropped)).toMatch(/^p_/);
  });
});

describe('pseudonymizeEvent', () => {
  const p = new Pseudonymizer(key, { folders });

  it('hides path, owner and user of a file event but keeps class, extension and depth', () => {
    const event: Event = {
      id: '1',
      timeMs: 1,
      sequence: 0,
      severity: Severity.SEVERITY_LOW,
      user: 'dr.house',
      detail: {
        $case: 'file',
        value: {
          action: 'rename',
          path: '/srv/records/ward3/discharge.pdf',
          previousPath: '/srv/records/ward3/tmp123.pdf',
          folderClass: 'phi',
          extension: '.pdf',
          depth: 2,
          sizeBytes: 2048,
          entropy: 4.5,
          owner: 'dr.house',
          process: '',
          pid: 0,
        },
      },
    };
    const out = pseudonymizeEvent(event, p);
    const text = JSON.stringify(out);
    for (const secret of ['discharge', 'records', 'house', 'tmp123']) expect(text).not.toContain(secret);
    if (out.detail?.$case !== 'file') throw new Error('not a file event');
    expect(out.detail.value).toMatchObject({
      folderClass: 'phi',
      extension: '.pdf',
      depth: 2,
      sizeBytes: 2048,
      entropy: 4.5,
    });
    expect(parsePseudonym(out.detail.value.path)).toEqual({
      kind: 'path',
      mac: pseudonymMac(key, 'path', '/srv/records/ward3/discharge.pdf'),
      shape: { folderClass: 'phi', depth: 2, extension: '.pdf' },
    });
    expect(out.detail.value.previousPath).toMatch(/^p_phi_d2_/);
    expect(out.user).toBe(p.user('dr.house'));
    expect(out.detail.value.owner).toBe(out.user);
    expect(event.user).toBe('dr.house'); // the input is not mutated
  });

  it('replaces a free-text extension the collector passed on', () => {
    const out = pseudonymizeEvent(
      {
        id: '1',
        timeMs: 1,
        sequence: 0,
        severity: 0,
        user: '',
        detail: {
          $case: 'file',
          value: {
            action: 'create',
            path: '/srv/records/minutes.jones',
            previousPath: '',
            folderClass: 'phi',
            extension: '.jones',
            depth: 1,
            sizeBytes: 1,
            entropy: -1,
            owner: '',
            process: '',
            pid: 0,
          },
        },
      },
      p,
    );
    expect(JSON.stringify(out)).not.toContain('jones');
  });

  it('keeps a DNS name read from an auth log a host and an address an address', () => {
    const p = new Pseudonymizer(key);
    const read = (line: string) => {
      const r = parseLinuxAuthLine(line, { year: 2026 });
      if (r.kind !== 'login') throw new Error(r.kind);
      const event: Event = {
        id: 'e',
        timeMs: r.value.timeMs,
        sequence: 0,
        severity: Severity.SEVERITY_MEDIUM,
        user: r.value.user,
        detail: { $case: 'login', value: r.value.login },
      };
      const out = pseudonymizeEvent(event, p).detail;
      return out?.$case === 'login' ? [out.value.sourceHost, out.value.sourceIp] : [];
    };
    const pam =
      'Nov 22 10:00:00 ws sshd[1]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=';
    const [host, noIp] = read(`${pam}scan-7.example.net`);
    expect(host).toMatch(/^h_[0-9a-f]{16}$/);
    expect(host).toBe(p.host('scan-7.example.net'));
    expect(noIp).toBe('');
    expect(read(`${pam}203.0.113.9`)).toEqual(['', p.ip('203.0.113.9')]);
    // sshd with UseDNS prints the name after `from`: a host too, never an address token.
    expect(read('Nov 22 10:00:00 ws sshd[1]: Failed password for root from gw-17.example.net port 5 ssh2')).toEqual([
      p.host('gw-17.example.net'),
      '',
    ]);
  });

  it('hides user, source host and address of a login, keeps root, and drops the raw line', () => {
    const event: Event = {
      id: '2',
      timeMs: 2,
      sequence: 0,
      severity: Severity.SEVERITY_MEDIUM,
      user: 'nurse.jones',
      detail: {
        $case: 'login',
        value: {
          action: 'privilege_use',
          method: 'password',
          service: 'sudo',
          tty: 'pts/0',
          sourceHost: 'ward3-ws12.hospital.local',
          sourceIp: '203.0.113.7',
          sourcePort: 52114,
          targetUser: 'root',
          raw: 'nurse.jones : TTY=pts/0 ; PWD=/home/nurse.jones ; USER=root ; COMMAND=/bin/cat /srv/records/x',
        },
      },
    };
    const out = pseudonymizeEvent(event, p);
    const text = JSON.stringify(out);
    for (const secret of ['nurse', '203.0.113.7', 'ward3', 'records']) expect(text).not.toContain(secret);
    if (out.detail?.$case !== 'login') throw new Error('not a login');
    expect(out.detail.value).toMatchObject({
      action: 'privilege_use',
      method: 'password',
      service: 'sudo',
      tty: 'pts/0',
      sourcePort: 52114,
      targetUser: 'root',
      raw: '',
    });
    expect(out.detail.value.sourceIp).toBe(p.ip('203.0.113.7'));
  });

  it('keeps a system executable and blanks every command line; keys a user-folder executable', () => {
    const proc = (executable: string): Event => ({
      id: '3',
      timeMs: 3,
      sequence: 0,
      severity: 0,
      user: 'jones',
      detail: {
        $case: 'process',
        value: {
          action: 'start',
          pid: 42,
          ppid: 1,
          executable,
          commandLine: `${executable} --user jones`,
          sha256: 'ab'.repeat(32),
        },
      },
    });
    const system = pseudonymizeEvent(proc('C:\\Windows\\System32\\rundll32.exe'), p);
    expect(system.detail).toMatchObject({
      value: { executable: 'c:\\windows\\system32\\rundll32.exe', commandLine: '', sha256: 'ab'.repeat(32), pid: 42 },
    });
    const dropped = pseudonymizeEvent(proc('/home/jones/Downloads/mimikatz'), p);
    expect(JSON.stringify(dropped)).not.toMatch(/jones|mimikatz/);
  });

  it('classes paths below a mounted removable drive as removable until it is unmounted, and keys the serial', () => {
    const q = new Pseudonymizer(key);
    const device = (action: string): Event => ({
      id: '4',
      timeMs: 4,
      sequence: 0,
      severity: 0,
      user: '',
      detail: {
        $case: 'device',
        value: {
          action,
          deviceType: 'usb-storage',
          vendor: 'SanDisk',
          model: 'Cruzer',
          serial: '4C530001',
          mountPoint: 'E:\\',
        },
      },
    });
    const mounted = pseudonymizeEvent(device('mount'), q);
    expect(mounted.detail).toMatchObject({ value: { vendor: 'SanDisk', model: 'Cruzer' } });
    const mountedDevice = mounted.detail?.$case === 'device' ? mounted.detail.value : undefined;
    expect(mountedDevice?.serial).toMatch(/^d_[0-9a-f]{16}$/);
    expect(mountedDevice?.mountPoint).toMatch(/^p_removable_d0_/);
    expect(q.path('E:\\export\\list.xlsx')).toMatch(/^p_removable_d2_/);
    pseudonymizeEvent(device('unmount'), q);
    expect(q.path('E:\\export\\list.xlsx')).toMatch(/^p_other_d2_/);
  });

  it('does not class a mount of a fixed disk or share as removable', () => {
    const q = new Pseudonymizer(key);
    const mount: Event = {
      id: '5',
      timeMs: 5,
      sequence: 0,
      severity: 0,
      user: '',
      detail: {
        $case: 'device',
        value: { action: 'mount', deviceType: 'block', vendor: '', model: '', serial: '', mountPoint: '/mnt/archive' },
      },
    };
    const pseudonymized = pseudonymizeEvent(mount, q).detail;
    expect(pseudonymized?.$case === 'device' && pseudonymized.value.mountPoint).toMatch(/^p_/);
    expect(pseudonymized?.$case === 'device' && pseudonymized.value.mountPoint).not.toMatch(/^p_removable_/);
    expect(q.path('/mnt/archive/list.xlsx')).not.toMatch(/^p_removable_/);
  });
});
