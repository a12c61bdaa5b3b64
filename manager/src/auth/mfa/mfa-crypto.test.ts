import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MfaCrypto } from './mfa-crypto';
import { loadOrCreateMfaKeyring } from './mfa-keyring';

describe('the MFA key file and what it protects', () => {
  const dirs: string[] = [];
  const fileIn = () => {
    const dir = mkdtempSync(join(tmpdir(), 'ww-mfa-key-'));
    dirs.push(dir);
    return join(dir, 'mfa.key');
  };
  afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('is made once with mode 0600, read back the same, and never replaced when damaged', () => {
    const file = fileIn();
    const made = new MfaCrypto(loadOrCreateMfaKeyring(file, 1));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const sealed = made.seal(Buffer.from('secret bytes'), 'u1');
    const again = new MfaCrypto(loadOrCreateMfaKeyring(file, 2));
    expect(again.open(sealed, 'u1')?.toString()).toBe('secret bytes');
    writeFileSync(file, '{"version":1}');
    expect(() => loadOrCreateMfaKeyring(file, 3)).toThrow(/damaged/);
    expect(readFileSync(file, 'utf8')).toBe('{"version":1}');
  });

  it('opens a sealed secret only for its user and under its key', () => {
    const crypto = new MfaCrypto(loadOrCreateMfaKeyring(fileIn(), 1));
    const other = new MfaCrypto(loadOrCreateMfaKeyring(fileIn(), 1));
    const sealed = crypto.seal(Buffer.from('0123456789abcdefghij'), 'u1');
    expect(sealed).not.toContain('0123456789');
    expect(crypto.open(sealed, 'u2')).toBeUndefined();
    expect(other.open(sealed, 'u1')).toBeUndefined();
    expect(crypto.open(`${sealed.slice(0, -2)}AA`, 'u1')).toBeUndefined();
    expect(crypto.open('plain', 'u1')).toBeUndefined();
  });

  it('makes ten distinct recovery codes, hashed per user, case and dash ignored', () => {
    const crypto = new MfaCrypto(loadOrCreateMfaKeyring(fileIn(), 1));
    const codes = crypto.newRecoveryCodes();
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[a-z2-7]{5}-[a-z2-7]{5}$/);
    const hash = crypto.recoveryHash('u1', codes[0]);
    expect(crypto.recoveryHash('u1', codes[0].toUpperCase().replace('-', ''))).toBe(hash);
    expect(crypto.recoveryHash('u2', codes[0])).not.toBe(hash);
  });

  it('reads back only pending tokens it signed, unaltered', () => {
    const crypto = new MfaCrypto(loadOrCreateMfaKeyring(fileIn(), 1));
    const other = new MfaCrypto(loadOrCreateMfaKeyring(fileIn(), 1));
    const claims = { u: 'u1', e: 1_000, p: crypto.passwordTag('scrypt$x') };
    const token = crypto.signPending(claims);
    expect(crypto.readPending(token)).toEqual(claims);
    expect(other.readPending(token)).toBeUndefined();
    const [body, mac] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ ...claims, u: 'admin' })).toString('base64url');
    expect(crypto.readPending(`${forged}.${mac}`)).toBeUndefined();
    expect(crypto.readPending(`${body}.${mac}.x`)).toBeUndefined();
    expect(crypto.readPending('')).toBeUndefined();
  });
});
