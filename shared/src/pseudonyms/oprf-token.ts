// Pseudonyms without a key on the workstation (issue #11): the token's MAC is the
// output of an oblivious PRF (RFC 9497, ristretto255-SHA512, base mode) evaluated by
// the manager, instead of an HMAC under a site key every agent holds. This file is
// the part both sides agree on without the crypto: which bytes go into the PRF for a
// value, and how its 64-byte output becomes the 16 hex digits of a token. The token
// keeps the format of token-format.ts (`u_<16 hex>`, `p_<class>_d<depth>_<16 hex>`…):
// nothing downstream changes, but a site that switches mode gets new tokens for
// everyone, like a key rotation (docs/privacy.md, *Pseudonym modes*).
import { canonicalForm } from './canonical-form';
import { TOKEN_HEX_LENGTH, type PseudonymKind } from './token-format';

/** What is pseudonymised: the token kinds, and unusual file extensions (`.~<6 hex>`). */
export type OprfValueKind = PseudonymKind | 'extension';

/** How a site's tokens are made: HMAC under a key every agent holds, or the manager's OPRF. */
export const pseudonymModes = ['local-key', 'oprf'] as const;
export type PseudonymMode = (typeof pseudonymModes)[number];

/** One PRF input per (kind, canonical value): `<kind> NUL <canonical form>`, as the HMAC mode hashes. */
export function oprfInput(kind: OprfValueKind, value: string): Uint8Array {
  const canonical = kind === 'extension' ? value.toLowerCase() : canonicalForm(kind, value);
  return Buffer.from(`${kind}\0${canonical}`, 'utf8');
}

/** The MAC part of a token from the PRF output (64 bytes of SHA-512): its first 64 bits in hex. */
export function macOfOprfOutput(output: Uint8Array): string {
  return Buffer.from(output).toString('hex').slice(0, TOKEN_HEX_LENGTH);
}

/** The 6 hex digits an unusual extension shows (`.~<6 hex>`), from its PRF output. */
export function extensionMacOfOprfOutput(output: Uint8Array): string {
  return Buffer.from(output).toString('hex').slice(0, 6);
}
