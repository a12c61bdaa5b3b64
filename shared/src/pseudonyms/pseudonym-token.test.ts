import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalIp, canonicalPath, canonicalUser } from './canonical-form';
import { assertSiteKey, pathToken, pseudonymMac, pseudonymToken, tokenExtension } from './pseudonym-token';
import { parsePseudonym } from './token-format';

const key = Buffer.alloc(32, 7);
const hmac = (input: string) => createHmac('sha256', key).update(input, 'utf8').digest('hex').slice(0, 16);

describe('pseudonym tokens', () => {
  it('are HMAC-SHA-256 of "<kind> NUL <canonical form>" under the site key, cut to 64 bits', () => {
    expect(pseudonymToken(key, 'user', 'Nurse.Jones')).toBe(`u_${hmac('user\0nurse.jones')}`);
    expect(pseudonymToken(key, 'ip', '::ffff:203.0.113.7')).toBe(`ip_${hmac('ip\x00203.0.113.7')}`);
    expect(pseudonymToken(key, 'host', 'WARD3-WS12.hospital.local.')).toBe(
      `h_${hmac('host\0ward3-ws12.hospital.local')}`,
    );
    expect(pseudonymToken(key, 'device', ' 4c53010a ')).toBe(`d_${hmac('device\x004C53010A')}`);
    expect(
      pathToken(key, '/srv/records//ward3/discharge.pdf', { folderClass: 'phi', depth: 2, extension: '.pdf' }),
    ).toBe(`p_phi_d2_${hmac('path\0/srv/records/ward3/discharge.pdf')}.pdf`);
  });

  it('differ between keys and kinds, keep empty values empty and refuse a short key', () => {
    expect(pseudonymToken(Buffer.alloc(32, 8), 'user', 'jones')).not.toBe(pseudonymToken(key, 'user', 'jones'));
    expect(pseudonymMac(key, 'user', 'jones')).not.toBe(pseudonymMac(key, 'host', 'jones'));
    expect(pseudonymToken(key, 'user', '  ')).toBe('');
    expect(pathToken(key, '', { folderClass: 'other', depth: 0, extension: '' })).toBe('');
    expect(() => assertSiteKey(Buffer.alloc(8))).toThrow(/at least 16 bytes/);
  });

  it('parse back into kind, MAC and path shape, and refuse anything else', () => {
    const user = pseudonymToken(key, 'user', 'jones');
    expect(parsePseudonym(user)).toEqual({ kind: 'user', mac: user.slice(2) });
    const path = pathToken(key, 'E:\\export\\list.xlsx', { folderClass: 'removable', depth: 2, extension: '.xlsx' });
    expect(parsePseudonym(path)).toEqual({
      kind: 'path',
      mac: pseudonymMac(key, 'path', 'e:\\export\\list.xlsx'),
      shape: { folderClass: 'removable', depth: 2, extension: '.xlsx' },
    });
    for (const bad of [
      'jones',
      'u_123',
      'u_0123456789abcdeg',
      'p_secret_d1_0123456789abcdef',
      'x_0123456789abcdef',
      `${user}\n`,
    ])
      expect(parsePseudonym(bad)).toBeUndefined();
  });

  it('parses every token it makes', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }),
        fc.constantFrom('phi', 'system', 'removable', 'other' as const),
        fc.nat(999),
        (value, folderClass, depth) => {
          fc.pre(value.trim() !== '');
          const path = pathToken(key, value, { folderClass, depth, extension: tokenExtension(key, value) });
          expect(parsePseudonym(path)?.mac).toBe(pseudonymMac(key, 'path', value));
          expect(parsePseudonym(pseudonymToken(key, 'ip', value))?.kind).toBe('ip');
        },
      ),
    );
  });
});

describe('canonical forms', () => {
  it('make the spellings of one account, path or address one value', () => {
    expect(new Set(['HOSPITAL\\Jones', 'jones@hospital.local', ' jones ', 'JONES'].map(canonicalUser))).toEqual(
      new Set(['jones']),
    );
    expect(
      new Set(
        ['C:\\Users\\Jones\\Desktop\\', 'c:/users/jones/desktop', 'C:\\Users\\\\Jones\\.\\Desktop'].map(canonicalPath),
      ),
    ).toEqual(new Set(['c:\\users\\jones\\desktop']));
    expect(canonicalPath('\\\\FileSrv\\Share\\a.pdf')).toBe('\\\\filesrv\\share\\a.pdf');
    expect(canonicalPath('C:\\')).toBe('c:\\');
    expect(canonicalPath('/home/Jones//x/./y/')).toBe('/home/Jones/x/y'); // POSIX keeps case
    expect(
      new Set(['2001:DB8:0:0::1', '[2001:db8::1]', '2001:0db8::0001', '2001:db8::1%eth0'].map(canonicalIp)),
    ).toEqual(new Set(['2001:db8::1']));
    expect(canonicalIp('::ffff:10.0.0.1')).toBe('10.0.0.1');
  });

  it('keep well-known extensions, key unusual ones, and find none in dot-files', () => {
    expect(tokenExtension(key, '/x/Scan.DCM')).toBe('.dcm');
    expect(tokenExtension(key, 'C:\\x\\minutes.jones')).toMatch(/^\.~[0-9a-f]{6}$/);
    expect(tokenExtension(key, '/a/minutes.jones')).toBe(tokenExtension(key, '/b/other.JONES'));
    expect(tokenExtension(key, '/home/x/.bashrc')).toBe('');
    expect(tokenExtension(key, '/x/no-extension')).toBe('');
  });
});
