// The origin users' browsers open the dashboard at, as security keys (auth/mfa/webauthn/)
// need it: a key is bound to a relying-party ID (the origin's host name) and every
// signature names the origin it was made for, so the manager must know the one true
// origin rather than trust the request's Host. WebAuthn refuses IP addresses as an RP ID
// and needs a secure context, so the origin is https, or http only on `localhost`.
import { isIP } from 'node:net';

export interface PublicOrigin {
  /** scheme://host[:port], lower-case, no trailing slash. */
  origin: string;
  /** The host name: the WebAuthn relying-party ID. */
  rpId: string;
}

/**
 * WARDWATCH_PUBLIC_ORIGIN when set (a problem as text when it cannot serve), else
 * `http://localhost:<port>` for a plain loopback listener on a fixed port, else undefined
 * (security keys are off; TOTP still works).
 */
export function parsePublicOrigin(
  given: string | undefined,
  listener: { loopback: boolean; tls: boolean; port: number },
): PublicOrigin | string | undefined {
  if (given === undefined) {
    if (!listener.loopback || listener.tls || listener.port === 0) return undefined;
    return { origin: `http://localhost:${listener.port}`, rpId: 'localhost' };
  }
  const text = given.trim().toLowerCase().replace(/\/$/, '');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'WARDWATCH_PUBLIC_ORIGIN: not an origin (scheme://host[:port])';
  }
  if (url.origin !== text) return 'WARDWATCH_PUBLIC_ORIGIN: scheme://host[:port] only, no path';
  const host = url.hostname;
  if (isIP(host.replace(/^\[(.*)\]$/, '$1')) !== 0) {
    return 'WARDWATCH_PUBLIC_ORIGIN: needs a host name, not an IP address (security keys are bound to a domain)';
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && host === 'localhost')) {
    return 'WARDWATCH_PUBLIC_ORIGIN: must be https:// (plain http only for localhost)';
  }
  return { origin: url.origin, rpId: host };
}
