// The crypto of second factors, on the keyring: TOTP secrets sealed with AES-256-GCM
// (the user's id as associated data, so a sealed secret copied to another user's row
// does not open), recovery codes generated and hashed, pending sign-in tokens signed.
// Behind one injectable class so services are tested with a known key and randomness.
import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { z } from 'zod';
import { base32Encode } from './base32';
import { MFA_KEYRING, type MfaKeyring } from './mfa-keyring';

const SEALED_PREFIX = 'v1.';
export const RECOVERY_CODE_COUNT = 10;

const PendingClaims = z.object({ u: z.string().max(64), e: z.number().int(), p: z.string().max(32) });
export type PendingClaims = z.infer<typeof PendingClaims>;

@Injectable()
export class MfaCrypto {
  constructor(@Inject(MFA_KEYRING) private readonly keys: MfaKeyring) {}

  /** 160 random bits (RFC 4226's recommended length), as raw bytes. */
  newSecret(): Buffer {
    return randomBytes(20);
  }

  seal(secret: Buffer, userId: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys.secretKey, iv).setAAD(Buffer.from(userId));
    const body = Buffer.concat([cipher.update(secret), cipher.final()]);
    return SEALED_PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
  }

  /** The secret, or undefined when the sealed text was not made for this user under this key. */
  open(sealed: string, userId: string): Buffer | undefined {
    if (!sealed.startsWith(SEALED_PREFIX)) return undefined;
    const raw = Buffer.from(sealed.slice(SEALED_PREFIX.length), 'base64url');
    if (raw.length < 12 + 16 + 1) return undefined;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.keys.secretKey, raw.subarray(0, 12))
        .setAAD(Buffer.from(userId))
        .setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]);
    } catch {
      return undefined;
    }
  }

  /** Ten codes of 50 random bits each, `xxxxx-xxxxx` in lower-case base32. */
  newRecoveryCodes(): string[] {
    return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
      const text = base32Encode(randomBytes(7)).slice(0, 10).toLowerCase();
      return `${text.slice(0, 5)}-${text.slice(5)}`;
    });
  }

  /**
   * What is stored of a recovery code: a keyed hash of the user and the normalised code.
   * Keyed, because 50 bits would fall to an offline search of a plain hash.
   */
  recoveryHash(userId: string, code: string): string {
    const normal = code.trim().toLowerCase().replace('-', '');
    return createHmac('sha256', this.keys.recoveryKey).update(`${userId}\n${normal}`).digest('hex');
  }

  signPending(claims: PendingClaims): string {
    const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
    return `${body}.${this.pendingMac(body)}`;
  }

  /** The claims of a token this manager signed, or undefined for anything else. Expiry is the caller's. */
  readPending(token: string): PendingClaims | undefined {
    const [body, mac, extra] = token.split('.');
    if (!body || !mac || extra !== undefined) return undefined;
    const expected = Buffer.from(this.pendingMac(body));
    const given = Buffer.from(mac);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    try {
      const parsed = PendingClaims.safeParse(JSON.parse(Buffer.from(body, 'base64url').toString('utf8')));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }

  /** A short fingerprint of the password hash: a pending token dies when the password changes. */
  passwordTag(passwordHash: string): string {
    return createHmac('sha256', this.keys.pendingKey).update(passwordHash).digest('base64url').slice(0, 16);
  }

  private pendingMac(body: string): string {
    return createHmac('sha256', this.keys.pendingKey).update(`pending\n${body}`).digest('base64url');
  }
}
