// Multi-factor sign-in (manager/src/auth/mfa/): the second step of sign-in, enrolment of an
// authenticator app (TOTP, RFC 6238) and its single-use recovery codes.
import { z } from 'zod';
import { CurrentUser } from './v1.schema';

/** Six digits from the authenticator app. */
export const TotpCode = z
  .string()
  .trim()
  .regex(/^\d{6}$/, 'enter the 6 digits your authenticator app shows');

/** A recovery code as shown once at enrolment: 10 base32 characters in two groups (case and dash optional). */
export const RecoveryCode = z
  .string()
  .trim()
  .regex(/^[a-zA-Z2-7]{5}-?[a-zA-Z2-7]{5}$/, 'a recovery code is 10 letters and digits, e.g. abcde-fgh23');

/** What the second step of sign-in accepts: a code from the app or one recovery code. */
export const MfaCode = z.union([TotpCode, RecoveryCode]);

/** The password was right and the account uses a second factor: no session yet, only this short-lived token. */
export const MfaChallenge = z.object({
  status: z.literal('mfa_required'),
  pendingToken: z.string().max(512),
  expiresAt: z.number().int(),
  /** Which second factors the account has: an app (TOTP), security keys (WebAuthn). */
  methods: z
    .array(z.enum(['totp', 'security_key']))
    .max(2)
    .optional(),
});
export type MfaChallenge = z.infer<typeof MfaChallenge>;

/** The answer to the password step: signed in, or a second factor is needed. */
export const LoginResponse = z.union([MfaChallenge, CurrentUser]);
export type LoginResponse = z.infer<typeof LoginResponse>;

export const MfaVerifyRequest = z.strictObject({ pendingToken: z.string().min(1).max(512), code: MfaCode });
export type MfaVerifyRequest = z.infer<typeof MfaVerifyRequest>;

/** A current code from the app: to confirm enrolment, to disable, to regenerate recovery codes. */
export const MfaCodeRequest = z.strictObject({ code: TotpCode });
export type MfaCodeRequest = z.infer<typeof MfaCodeRequest>;

export const MfaStatus = z.object({
  enabled: z.boolean(),
  /** The user's role must use a second factor (WARDWATCH_MFA_REQUIRED_ROLES). */
  required: z.boolean(),
  recoveryCodesLeft: z.number().int().min(0),
  /** The user has at least one security key (WebAuthn): a second factor even with the app off. */
  securityKeys: z.boolean(),
});
export type MfaStatus = z.infer<typeof MfaStatus>;

/** Shown once: the secret for the authenticator app, as text and as an otpauth:// URI. */
export const MfaEnrollment = z.object({
  secret: z.string().regex(/^[A-Z2-7]+$/),
  otpauthUri: z.string().startsWith('otpauth://totp/'),
});
export type MfaEnrollment = z.infer<typeof MfaEnrollment>;

/** Shown once; only their hashes are kept. */
export const RecoveryCodes = z.object({ recoveryCodes: z.array(RecoveryCode).length(10) });
export type RecoveryCodes = z.infer<typeof RecoveryCodes>;
