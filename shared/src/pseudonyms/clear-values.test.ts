import { describe, expect, it } from 'vitest';
import { clearAccount, clearAddress, clearSystemPath } from './clear-values';
import { pseudonymOf } from './pseudonym-of';
import { pseudonymToken } from './pseudonym-token';

describe('clearSystemPath', () => {
  it('keeps software under system folders and nothing a person named', () => {
    expect(clearSystemPath('/usr/sbin/sshd')).toBe('/usr/sbin/sshd');
    expect(clearSystemPath('C:/Program Files (x86)/Tool/t.exe')).toBe('c:\\program files (x86)\\tool\\t.exe');
    for (const path of [
      '/usr/local/share/jones.txt',
      '/home/jones/bin/x',
      'C:\\Windows\\Tasks\\x.job',
      'C:\\Program Files\\App\\Users\\jones.cfg',
      '/opt/app/bin/x',
      `/usr/bin/${'x'.repeat(300)}`,
      '/usr/bin/tool\u00e9',
    ]) {
      expect(clearSystemPath(path), path).toBeUndefined();
    }
  });
});

describe('pseudonymOf', () => {
  const key = Buffer.alloc(32, 3);

  it('keeps OS accounts and loopback as they are, and treats a host given as an address as an address', () => {
    expect([clearAccount('NT AUTHORITY\\SYSTEM'), clearAccount('it.admin')]).toEqual(['system', undefined]);
    expect([clearAddress('::ffff:127.0.0.1'), clearAddress('10.0.0.1')]).toEqual(['127.0.0.1', undefined]);
    expect(pseudonymOf(key, 'user', 'ROOT')).toBe('root');
    expect(pseudonymOf(key, 'host', '[2001:db8::7]')).toBe(pseudonymToken(key, 'ip', '2001:db8::7'));
    expect(pseudonymOf(key, 'host', 'ward3-ws12')).toBe(pseudonymToken(key, 'host', 'WARD3-WS12'));
    expect(pseudonymOf(key, 'device', ' ')).toBe('');
  });
});
