// The one token function of WardWatch: the agent pseudonymises with it, the
// manager recomputes it when a privacy officer re-identifies. A token is
// HMAC-SHA-256 under the site key of `<kind> NUL <canonical form>`, cut to
// 64 bits, behind a prefix naming the kind:
//   u_<16 hex>  user      ip_<16 hex>  address      h_<16 hex>  host name
//   d_<16 hex>  device serial
//   p_<class>_d<depth>_<16 hex><.ext>   path (the shape stays readable)
// The same value gives the same token on every agent of the site (so the
// manager can correlate); without the key nobody can recompute or reverse it.
import { createHmac } from 'node:crypto';
import { canonicalForm } from './canonical-form';
import { keptExtension } from './extensions';
import {
  formatPathToken,
  pseudonymPrefixes,
  TOKEN_HEX_LENGTH,
  type PathShape,
  type PseudonymKind,
} from './token-format';

export const MIN_SITE_KEY_BYTES = 16;

export function assertSiteKey(key: Uint8Array): void {
  if (key.length < MIN_SITE_KEY_BYTES)
    throw new Error(`the pseudonym key must be at least ${MIN_SITE_KEY_BYTES} bytes, got ${key.length}`);
}

/** The keyed MAC of a value's canonical form: the part of a token that carries identity. */
export function pseudonymMac(key: Uint8Array, kind: PseudonymKind, value: string): string {
  // The kind is part of the MAC input, so a user and a host with the same text differ.
  return createHmac('sha256', key)
    .update(kind)
    .update('\0')
    .update(canonicalForm(kind, value), 'utf8')
    .digest('hex')
    .slice(0, TOKEN_HEX_LENGTH);
}

/** `u_…`, `ip_…`, `h_…`, `d_…`; an empty value stays empty (nothing to hide). Paths: use `pathToken`. */
export function pseudonymToken(key: Uint8Array, kind: Exclude<PseudonymKind, 'path'>, value: string): string {
  if (value.trim() === '') return '';
  return `${pseudonymPrefixes[kind]}_${pseudonymMac(key, kind, value)}`;
}

export function pathToken(key: Uint8Array, path: string, shape: PathShape): string {
  if (path.trim() === '') return '';
  return formatPathToken(pseudonymMac(key, 'path', path), shape);
}

/** The extension a path token (and a file event) may show: see `extensions.ts`. */
export function tokenExtension(key: Uint8Array, path: string): string {
  return keptExtension(path, (unusual) =>
    createHmac('sha256', key).update('extension\0').update(unusual, 'utf8').digest('hex').slice(0, 6),
  );
}
