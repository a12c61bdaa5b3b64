// The browser half of security keys: the manager's options (JSON, base64url) into
// navigator.credentials, and the key's answer back to JSON, checked against the shared
// schema before it is sent. Uses the browser's own JSON helpers (WebAuthn level 3), so
// no base64url code of ours; WebAuthn needs a secure context (https, or http://localhost).
import {
  AuthenticationCredential,
  RegistrationCredential,
  type SecurityKeyCreationOptions,
  type SecurityKeyRequestOptions,
} from '@wardwatch/shared';

/** Whether this browser, on this page, can use security keys at all. */
export function securityKeysSupported(): boolean {
  return (
    window.isSecureContext &&
    typeof PublicKeyCredential !== 'undefined' &&
    typeof PublicKeyCredential.parseCreationOptionsFromJSON === 'function'
  );
}

function notSupported(): Error {
  return new Error('This browser cannot use security keys here (it needs https, or http://localhost).');
}

/** Asks the browser (and the user's key) to make a new credential for these options. */
export async function createCredential(options: SecurityKeyCreationOptions): Promise<RegistrationCredential> {
  if (!securityKeysSupported()) throw notSupported();
  const made = await navigator.credentials.create({
    publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options),
  });
  if (!(made instanceof PublicKeyCredential)) throw new Error('No security key answered.');
  return RegistrationCredential.parse(made.toJSON());
}

/** Asks the browser (and one of the user's keys) to sign the challenge in these options. */
export async function getAssertion(options: SecurityKeyRequestOptions): Promise<AuthenticationCredential> {
  if (!securityKeysSupported()) throw notSupported();
  const got = await navigator.credentials.get({
    publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options),
  });
  if (!(got instanceof PublicKeyCredential)) throw new Error('No security key answered.');
  return AuthenticationCredential.parse(got.toJSON());
}
