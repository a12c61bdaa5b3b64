// One-time passwords: HOTP (RFC 4226) and TOTP (RFC 6238) on Node's crypto. Pure
// functions of the key, the counter or time, and the last step already accepted.
//
// Invariants:
// - A code is accepted for the current 30 s step or one step either side (clock drift
//   between the phone and the manager), never further.
// - A code is accepted at most once: a step at or before `lastStep` (the last one
//   accepted for this user) is a replay, even if the code is right. The caller stores
//   the step it accepted, atomically (MfaRepository.advanceStep).
import { createHmac, timingSafeEqual } from 'node:crypto';

export type HmacAlgorithm = 'sha1' | 'sha256' | 'sha512';

export const TOTP_STEP_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** Steps accepted either side of the current one. */
export const TOTP_WINDOW = 1;

/** RFC 4226 §5.3: HMAC of the 8-byte big-endian counter, dynamic truncation, `digits` decimal digits. */
export function hotp(key: Buffer, counter: number, digits = TOTP_DIGITS, algorithm: HmacAlgorithm = 'sha1'): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac(algorithm, key).update(message).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/** RFC 6238: the time step of a moment (Unix time in ms, T0 = 0). */
export function totpStep(nowMs: number, stepSeconds = TOTP_STEP_SECONDS): number {
  return Math.floor(nowMs / 1_000 / stepSeconds);
}

export function totp(key: Buffer, nowMs: number, digits = TOTP_DIGITS, algorithm: HmacAlgorithm = 'sha1'): string {
  return hotp(key, totpStep(nowMs), digits, algorithm);
}

export type TotpCheck = { ok: true; step: number } | { ok: false; why: 'wrong' | 'replay' };

/**
 * Checks a 6-digit code against the steps around `nowMs`. Every step of the window is
 * computed and compared in constant time, so timing does not tell which one matched.
 */
export function checkTotp(key: Buffer, code: string, nowMs: number, lastStep: number | null): TotpCheck {
  if (!/^\d{6}$/.test(code)) return { ok: false, why: 'wrong' };
  const current = totpStep(nowMs);
  const given = Buffer.from(code);
  let matched: number | undefined;
  for (let step = current - TOTP_WINDOW; step <= current + TOTP_WINDOW; step++) {
    if (timingSafeEqual(Buffer.from(hotp(key, step)), given) && matched === undefined) matched = step;
  }
  if (matched === undefined) return { ok: false, why: 'wrong' };
  if (lastStep !== null && matched <= lastStep) return { ok: false, why: 'replay' };
  return { ok: true, step: matched };
}

/** The otpauth:// URI authenticator apps import (Key Uri Format): issuer, account, secret, defaults spelled out. */
export function otpauthUri(issuer: string, account: string, secretBase32: string): string {
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(account)}`;
  const query = new URLSearchParams({
    secret: secretBase32,
    issuer,
    algorithm: 'SHA1',
    digits: String(TOTP_DIGITS),
    period: String(TOTP_STEP_SECONDS),
  });
  return `otpauth://totp/${label}?${query.toString()}`;
}
