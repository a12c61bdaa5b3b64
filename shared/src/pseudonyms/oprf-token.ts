// Pseudonyms without a key on the workstation (issue #11): the token's MAC is the
// output of an oblivious PRF (RFC 9497, ristretto255-SHA512, base mode) evaluated by
// the manager, instead of an HMAC under a site key every agent holds. This file is
// the part both sides agree on without the crypto: which bytes go into the PRF for a
// value, and how its 64-byte output becomes the 16 hex digits of a token. The token
// keeps the format of token-format.ts (`u_<16 hex>`, `p_<class>_d<depth>_<16 hex>`…):
// nothing downstream changes, but a site that switches mode gets new tokens for
// everyone, like a key rotation (docs/privacy.md, *Pseudonym modes*).
//
// Paths and addresses are the exceptions to "one PRF value per value": the PRF is asked
// for a GROUP of values — a path's folder (kind `folder`, canonicalFolder), an address's
// network, its /24 or /64 (kind `network`, canonicalNetwork) — and the value's MAC is an HMAC
// keyed by the first 32 bytes of that output (`oprfGroupedMac`). A workstation then pays one
// evaluation per new folder or network, not per new file or address — and, holding a group's
// output, can compute the token of any member offline: any name in that folder, any of the
// 256 addresses of that /24 (docs/privacy.md says what that exposes). A value of kind `ip`
// that is not an address has no network and stays one PRF value of its own.
import { createHmac, type KeyObject } from 'node:crypto';
import { canonicalFolder, canonicalForm, canonicalNetwork } from './canonical-form';
import { TOKEN_HEX_LENGTH, type PseudonymKind } from './token-format';

/** What keys a group of values' MACs: a path's folder, an address's network. */
export type OprfGroupKind = 'folder' | 'network';

/** The token kinds whose MAC is keyed by a group. */
export type GroupedKind = 'path' | 'ip';

/**
 * What goes through the PRF: the token kinds but `path`, the groups (a path's folder, an
 * address's network), and unusual file extensions (`.~<6 hex>`).
 */
export type OprfValueKind = Exclude<PseudonymKind, 'path'> | OprfGroupKind | 'extension';

/** How a site's tokens are made: HMAC under a key every agent holds, or the manager's OPRF. */
export const pseudonymModes = ['local-key', 'oprf'] as const;
export type PseudonymMode = (typeof pseudonymModes)[number];

/** Bytes of a group's PRF output that key its members' MACs (the output has 64). */
export const GROUP_KEY_BYTES = 32;

/**
 * One PRF input per (kind, canonical value): `<kind> NUL <canonical form>`, as the HMAC mode
 * hashes. For a group kind, `value` is a MEMBER (any spelling) and the input names its group:
 * `folder NUL <canonicalFolder(path)>`, `network NUL <canonicalNetwork(address)>` (which
 * throws for a value that is not an address: such a value is its own `ip` PRF value).
 */
export function oprfInput(kind: OprfValueKind, value: string): Uint8Array {
  return Buffer.from(oprfInputText(kind, value), 'utf8');
}

/** oprfInput as text (a cache's key). */
export function oprfInputText(kind: OprfValueKind, value: string): string {
  return oprfInputOfCanonical(kind, oprfCanonical(kind, value));
}

/** oprfInput's text for a value already in its kind's canonical form (a folder as canonicalFolder gives it). */
export function oprfInputOfCanonical(kind: OprfValueKind, canonical: string): string {
  return `${kind}\0${canonical}`;
}

function oprfCanonical(kind: OprfValueKind, value: string): string {
  switch (kind) {
    case 'extension':
      return value.toLowerCase();
    case 'folder':
      return canonicalFolder(value);
    case 'network': {
      const network = canonicalNetwork(value);
      if (network === undefined) throw new Error('a value that is not an address has no network');
      return network;
    }
    default:
      return canonicalForm(kind, value);
  }
}

/** The MAC part of a token from the PRF output (64 bytes of SHA-512): its first 64 bits in hex. */
export function macOfOprfOutput(output: Uint8Array): string {
  return Buffer.from(output).toString('hex').slice(0, TOKEN_HEX_LENGTH);
}

/** The 6 hex digits an unusual extension shows (`.~<6 hex>`), from its PRF output. */
export function extensionMacOfOprfOutput(output: Uint8Array): string {
  return Buffer.from(output).toString('hex').slice(0, 6);
}

/** What a workstation keeps of a group's PRF output: the key of its members' MACs. */
export function groupKeyOfOprfOutput(output: Uint8Array): Buffer {
  if (output.length < GROUP_KEY_BYTES) throw new Error(`a group's PRF output has ${output.length} bytes`);
  return Buffer.from(output.subarray(0, GROUP_KEY_BYTES));
}

/**
 * The MAC of a path's or an address's token in OPRF mode, on both sides (the agent from its
 * cached group key, the manager's re-identification from the PRF output it computes): the
 * first 16 hex digits of HMAC-SHA-256(key = first 32 bytes of G, message = `<kind>` NUL
 * canonical value), where G is the PRF output of `oprfInput(oprfGroupOf(kind, value), value)`.
 * `groupOutput` may be G itself or its first 32 bytes.
 */
export function oprfGroupedMac(groupOutput: Uint8Array, kind: GroupedKind, value: string): string {
  return oprfGroupedMacOfCanonical(groupKeyOfOprfOutput(groupOutput), kind, canonicalForm(kind, value));
}

/** oprfGroupedMac from the group key itself (32 bytes, or a secret KeyObject of them) and a value in canonical form. */
export function oprfGroupedMacOfCanonical(
  groupKey: Uint8Array | KeyObject,
  kind: GroupedKind,
  canonical: string,
): string {
  return createHmac('sha256', groupKey)
    .update(`${kind}\0`)
    .update(canonical, 'utf8')
    .digest('hex')
    .slice(0, TOKEN_HEX_LENGTH);
}

/** A path's MAC from its folder's PRF output (oprfGroupedMac). */
export const oprfPathMac = (folderOutput: Uint8Array, path: string) => oprfGroupedMac(folderOutput, 'path', path);

/** An address's MAC from its network's PRF output (oprfGroupedMac). */
export const oprfAddressMac = (networkOutput: Uint8Array, address: string) =>
  oprfGroupedMac(networkOutput, 'ip', address);

/**
 * The MAC of any token kind in OPRF mode given the PRF itself (the manager's key, a test's):
 * one evaluation of the value, or for a path or an address one of its group and the HMAC above.
 */
export function oprfMacWith(prf: (input: Uint8Array) => Uint8Array, kind: PseudonymKind, value: string): string {
  if (kind === 'path') return oprfPathMac(prf(oprfInput('folder', value)), value);
  if (kind === 'ip' && canonicalNetwork(value) !== undefined)
    return oprfAddressMac(prf(oprfInput('network', value)), value);
  return macOfOprfOutput(prf(oprfInput(kind, value)));
}
