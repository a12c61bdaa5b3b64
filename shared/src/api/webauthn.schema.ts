// Security keys (WebAuthn) as a second factor (manager/src/auth/mfa/webauthn/): what the
// browser sends back from navigator.credentials (its JSON form, base64url fields), what
// the manager answers. Sizes are capped here; the signatures are checked by the manager.
import { z } from 'zod';
import { RecoveryCode, TotpCode } from './mfa.schema';

/** base64url without padding, at most `max` characters. */
const base64url = (max: number) =>
  z
    .string()
    .max(max)
    .regex(/^[A-Za-z0-9_-]+$/, 'not base64url');

/** A credential id: at most 1,023 bytes (WebAuthn level 3). */
export const CredentialId = base64url(1_364);

export const AuthenticatorTransport = z.enum(['ble', 'cable', 'hybrid', 'internal', 'nfc', 'smart-card', 'usb']);
export type AuthenticatorTransport = z.infer<typeof AuthenticatorTransport>;

const attachment = z.enum(['platform', 'cross-platform']).optional();

/** The answer of navigator.credentials.create(), as PublicKeyCredential.toJSON() gives it. */
export const RegistrationCredential = z.object({
  id: CredentialId,
  rawId: CredentialId,
  type: z.literal('public-key'),
  authenticatorAttachment: attachment,
  response: z.object({
    clientDataJSON: base64url(4_096),
    attestationObject: base64url(16_384),
    transports: z.array(AuthenticatorTransport).max(8).optional(),
  }),
});
export type RegistrationCredential = z.infer<typeof RegistrationCredential>;

/** The answer of navigator.credentials.get(), as PublicKeyCredential.toJSON() gives it. */
export const AuthenticationCredential = z.object({
  id: CredentialId,
  rawId: CredentialId,
  type: z.literal('public-key'),
  authenticatorAttachment: attachment,
  response: z.object({
    clientDataJSON: base64url(4_096),
    authenticatorData: base64url(4_096),
    signature: base64url(1_024),
    userHandle: base64url(128).optional(),
  }),
});
export type AuthenticationCredential = z.infer<typeof AuthenticationCredential>;

/** A name the user gives a key, to tell their keys apart. */
export const SecurityKeyName = z.string().trim().min(1, 'give the key a name').max(64);

export const SecurityKeyRegistrationRequest = z.strictObject({
  name: SecurityKeyName,
  credential: RegistrationCredential,
});
export type SecurityKeyRegistrationRequest = z.infer<typeof SecurityKeyRegistrationRequest>;

export const SecurityKeyOptionsRequest = z.strictObject({ pendingToken: z.string().min(1).max(512) });
export type SecurityKeyOptionsRequest = z.infer<typeof SecurityKeyOptionsRequest>;

export const SecurityKeySignInRequest = z.strictObject({
  pendingToken: z.string().min(1).max(512),
  credential: AuthenticationCredential,
});
export type SecurityKeySignInRequest = z.infer<typeof SecurityKeySignInRequest>;

/** Removing a key takes a fresh second factor: a code from the app, or a signature of one of the keys. */
/**
 * A fresh second factor for a sensitive change of one's own (removing a key, new recovery codes):
 * a code from the app or a signature of one of the user's keys, so that a borrowed session alone cannot.
 */
export const FreshSecondFactor = z
  .strictObject({ code: TotpCode.optional(), credential: AuthenticationCredential.optional() })
  .refine((body) => (body.code === undefined) !== (body.credential === undefined), {
    message: 'send a code or a security key signature',
  });
export type FreshSecondFactor = z.infer<typeof FreshSecondFactor>;

export const SecurityKey = z.object({
  id: z.string().max(64),
  name: SecurityKeyName,
  transports: z.array(AuthenticatorTransport),
  createdAt: z.number().int(),
  lastUsedAt: z.number().int().nullable(),
});
export type SecurityKey = z.infer<typeof SecurityKey>;

/** A key just registered; with ten recovery codes (shown once) when it is the user's first second factor. */
export const SecurityKeyRegistered = SecurityKey.extend({
  recoveryCodes: z.array(RecoveryCode).length(10).optional(),
});
export type SecurityKeyRegistered = z.infer<typeof SecurityKeyRegistered>;

export const SecurityKeys = z.object({
  /** False when the manager does not know its public origin (WARDWATCH_PUBLIC_ORIGIN). */
  available: z.boolean(),
  keys: z.array(SecurityKey),
});
export type SecurityKeys = z.infer<typeof SecurityKeys>;

const descriptor = z.object({
  id: CredentialId,
  type: z.literal('public-key'),
  transports: z.array(AuthenticatorTransport).optional(),
});

/** Options for navigator.credentials.create() in their JSON form (PublicKeyCredential.parseCreationOptionsFromJSON). */
export const SecurityKeyCreationOptions = z.object({
  challenge: base64url(128),
  rp: z.object({ id: z.string().max(253).optional(), name: z.string().max(64) }),
  user: z.object({ id: base64url(128), name: z.string().max(128), displayName: z.string().max(128) }),
  pubKeyCredParams: z.array(z.object({ type: z.literal('public-key'), alg: z.number().int() })).max(16),
  timeout: z.number().int().optional(),
  excludeCredentials: z.array(descriptor).max(64).optional(),
  authenticatorSelection: z
    .object({
      authenticatorAttachment: attachment,
      residentKey: z.enum(['discouraged', 'preferred', 'required']).optional(),
      requireResidentKey: z.boolean().optional(),
      userVerification: z.enum(['discouraged', 'preferred', 'required']).optional(),
    })
    .optional(),
  attestation: z.enum(['none', 'indirect', 'direct', 'enterprise']).optional(),
});
export type SecurityKeyCreationOptions = z.infer<typeof SecurityKeyCreationOptions>;

/** Options for navigator.credentials.get() in their JSON form. */
export const SecurityKeyRequestOptions = z.object({
  challenge: base64url(128),
  rpId: z.string().max(253).optional(),
  allowCredentials: z.array(descriptor).max(64).optional(),
  timeout: z.number().int().optional(),
  userVerification: z.enum(['discouraged', 'preferred', 'required']).optional(),
});
export type SecurityKeyRequestOptions = z.infer<typeof SecurityKeyRequestOptions>;
