import { describe, expect, it } from 'vitest';
import { sign, signatureHeaders, verifySignature } from './webhook-signature';

const SECRET = 'x'.repeat(32);

describe('webhook signatures', () => {
  const body = '{"class_uid":2004}';
  const now = 1_800_000_000;
  const headers = signatureHeaders(SECRET, now, body);
  const given = { timestamp: headers['x-wardwatch-timestamp'], signature: headers['x-wardwatch-signature'] };

  it('signs timestamp.body with HMAC-SHA-256 and verifies it', () => {
    expect(given.signature).toBe(`v1=${sign(SECRET, now, body)}`);
    expect(given.signature).toMatch(/^v1=[0-9a-f]{64}$/);
    expect(verifySignature(SECRET, given, body, now)).toBe(true);
  });

  it('refuses another secret, a changed body, a moved timestamp and an old one', () => {
    expect(verifySignature('y'.repeat(32), given, body, now)).toBe(false);
    expect(verifySignature(SECRET, given, `${body} `, now)).toBe(false);
    expect(verifySignature(SECRET, { ...given, timestamp: String(now + 1) }, body, now)).toBe(false);
    expect(verifySignature(SECRET, given, body, now + 301)).toBe(false);
    expect(verifySignature(SECRET, { timestamp: undefined, signature: undefined }, body, now)).toBe(false);
  });
});
