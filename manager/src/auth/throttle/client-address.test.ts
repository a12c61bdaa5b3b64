import { describe, expect, it } from 'vitest';
import { clientAddress, sourceKey, TrustedProxies } from './client-address';

describe('clientAddress', () => {
  const proxies = new TrustedProxies(['10.0.0.5', '172.16.0.0/12', 'fd00::/8']);

  it('ignores X-Forwarded-For without trusted proxies, or from an untrusted peer', () => {
    expect(clientAddress('192.0.2.1', '198.51.100.7', new TrustedProxies([]))).toBe('192.0.2.1');
    expect(clientAddress('192.0.2.1', '198.51.100.7', proxies)).toBe('192.0.2.1');
    expect(clientAddress('::ffff:192.0.2.1', undefined, proxies)).toBe('192.0.2.1');
  });

  it('takes the right-most address that is not a trusted proxy', () => {
    expect(clientAddress('10.0.0.5', '198.51.100.7', proxies)).toBe('198.51.100.7');
    // The client wrote "1.2.3.4" itself; the proxies appended what they saw.
    expect(clientAddress('10.0.0.5', '1.2.3.4, 198.51.100.7, 172.16.4.4', proxies)).toBe('198.51.100.7');
    expect(clientAddress('::ffff:10.0.0.5', ['1.2.3.4', '198.51.100.7'], proxies)).toBe('198.51.100.7');
    expect(clientAddress('fd00::1', '2001:db8::9', proxies)).toBe('2001:db8::9');
  });

  it('stops at the last trusted hop on a malformed entry, and uses the left-most when all are trusted', () => {
    expect(clientAddress('10.0.0.5', 'evil, not-an-address', proxies)).toBe('10.0.0.5');
    expect(clientAddress('10.0.0.5', '172.16.0.9, 172.16.0.8', proxies)).toBe('172.16.0.9');
  });
});

describe('sourceKey', () => {
  it('keeps IPv4 addresses and folds IPv6 into its /64', () => {
    expect(sourceKey('192.0.2.1')).toBe('192.0.2.1');
    expect(sourceKey('2001:db8:0:1::5')).toBe('2001:db8:0:1::/64');
    expect(sourceKey('2001:0DB8:0000:0001:aaaa:bbbb:cccc:dddd')).toBe('2001:db8:0:1::/64');
    expect(sourceKey('::1')).toBe('0:0:0:0::/64');
    expect(sourceKey('unknown')).toBe('unknown');
  });
});
