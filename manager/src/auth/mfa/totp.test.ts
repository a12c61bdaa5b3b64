import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { base32Decode, base32Encode } from './base32';
import { checkTotp, hotp, otpauthUri, totp, totpStep, type HmacAlgorithm } from './totp';

describe('HOTP (RFC 4226 Appendix D)', () => {
  const key = Buffer.from('12345678901234567890', 'ascii');
  const expected = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];
  it.each(expected.map((code, counter) => [counter, code] as const))('counter %i gives %s', (counter, code) => {
    expect(hotp(key, counter)).toBe(code);
  });
});

describe('TOTP (RFC 6238 Appendix B, 8 digits)', () => {
  const seeds: Record<HmacAlgorithm, Buffer> = {
    sha1: Buffer.from('12345678901234567890', 'ascii'),
    sha256: Buffer.from('12345678901234567890123456789012', 'ascii'),
    sha512: Buffer.from('1234567890123456789012345678901234567890123456789012345678901234', 'ascii'),
  };
  const vectors: [number, string, string, string][] = [
    [59, '94287082', '46119246', '90693936'],
    [1111111109, '07081804', '68084774', '25091201'],
    [1111111111, '14050471', '67062674', '99943326'],
    [1234567890, '89005924', '91819424', '93441116'],
    [2000000000, '69279037', '90698825', '38618901'],
    [20000000000, '65353130', '77737706', '47863826'],
  ];
  it.each(vectors)('at %i s', (seconds, sha1, sha256, sha512) => {
    expect(totp(seeds.sha1, seconds * 1_000, 8, 'sha1')).toBe(sha1);
    expect(totp(seeds.sha256, seconds * 1_000, 8, 'sha256')).toBe(sha256);
    expect(totp(seeds.sha512, seconds * 1_000, 8, 'sha512')).toBe(sha512);
  });
});

describe('checkTotp', () => {
  const key = randomBytes(20);
  const now = 1_796_350_000_000;
  const at = (offsetSteps: number) => totp(key, now + offsetSteps * 30_000);

  it('accepts the current step and one either side, nothing further', () => {
    expect(checkTotp(key, at(0), now, null)).toEqual({ ok: true, step: totpStep(now) });
    expect(checkTotp(key, at(-1), now, null)).toEqual({ ok: true, step: totpStep(now) - 1 });
    expect(checkTotp(key, at(1), now, null)).toEqual({ ok: true, step: totpStep(now) + 1 });
    // Codes two steps away could equal a window code by chance (1 in 10^6 each): pick a key where they differ.
    const far = [at(-2), at(2)].filter((code) => ![at(-1), at(0), at(1)].includes(code));
    for (const code of far) expect(checkTotp(key, code, now, null)).toEqual({ ok: false, why: 'wrong' });
  });

  it('refuses a code of a step already accepted, and of any step before it', () => {
    const first = checkTotp(key, at(0), now, null);
    expect(first.ok).toBe(true);
    const lastStep = first.ok ? first.step : 0;
    expect(checkTotp(key, at(0), now, lastStep)).toEqual({ ok: false, why: 'replay' });
    expect(checkTotp(key, at(-1), now, lastStep)).toEqual({ ok: false, why: 'replay' });
    expect(checkTotp(key, at(1), now, lastStep)).toEqual({ ok: true, step: lastStep + 1 });
  });

  it('refuses what is not six digits, and a wrong code', () => {
    expect(checkTotp(key, '12345', now, null).ok).toBe(false);
    expect(checkTotp(key, `${at(0)}0`, now, null).ok).toBe(false);
    expect(checkTotp(key, 'abcdef', now, null).ok).toBe(false);
    const wrong = String((Number(at(0)) + 1) % 1_000_000).padStart(6, '0');
    if (![at(-1), at(1)].includes(wrong)) expect(checkTotp(key, wrong, now, null)).toEqual({ ok: false, why: 'wrong' });
  });
});

describe('base32 and the otpauth URI', () => {
  it('round-trips bytes and matches RFC 4648 test vectors', () => {
    expect(base32Encode(Buffer.from('foobar'))).toBe('MZXW6YTBOI');
    expect(base32Decode('mzxw6ytboi======')?.toString()).toBe('foobar');
    expect(base32Decode('MZ1')).toBeUndefined();
    for (let n = 0; n < 40; n++) {
      const bytes = randomBytes(n);
      expect(base32Decode(base32Encode(bytes))?.equals(bytes)).toBe(true);
    }
  });

  it('names the issuer and account and spells out the defaults', () => {
    const uri = new URL(otpauthUri('WardWatch', 'dr.who', 'JBSWY3DPEHPK3PXP'));
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.host).toBe('totp');
    expect(decodeURIComponent(uri.pathname)).toBe('/WardWatch:dr.who');
    expect(Object.fromEntries(uri.searchParams)).toEqual({
      secret: 'JBSWY3DPEHPK3PXP',
      issuer: 'WardWatch',
      algorithm: 'SHA1',
      digits: '6',
      period: '30',
    });
  });
});
