import { describe, expect, it } from 'vitest';
import { namedSource, sourceFields } from './source-address';

describe('sourceFields', () => {
  it.each([
    ['203.0.113.9', { sourceIp: '203.0.113.9' }],
    ['2001:db8::17', { sourceIp: '2001:db8::17' }],
    ['::ffff:192.0.2.1', { sourceIp: '::ffff:192.0.2.1' }],
    ['[2001:db8::1]', { sourceIp: '[2001:db8::1]' }],
    ['fe80::1%eth0', { sourceIp: 'fe80::1%eth0' }],
    ['scanner.example.net', { sourceHost: 'scanner.example.net' }],
    // Digits and dots that are no address: a name (a resolver may print one like this).
    ['999.1.2.3', { sourceHost: '999.1.2.3' }],
    ['10-0-0-4.dyn.example.org', { sourceHost: '10-0-0-4.dyn.example.org' }],
    ['', {}],
    ['(null)', {}],
    ['UNKNOWN', {}],
  ])('%s', (value, expected) => {
    expect(sourceFields(value)).toEqual(expected);
  });
});

describe('namedSource', () => {
  it('keeps a resolved name and its address, and one address once', () => {
    expect(namedSource('ftp.example.org', '198.51.100.4')).toEqual({
      sourceHost: 'ftp.example.org',
      sourceIp: '198.51.100.4',
    });
    expect(namedSource('198.51.100.4', '198.51.100.4')).toEqual({ sourceIp: '198.51.100.4', sourceHost: undefined });
    expect(namedSource('host.example.org', undefined)).toEqual({ sourceHost: 'host.example.org', sourceIp: undefined });
  });
});
