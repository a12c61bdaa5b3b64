// Pseudonyms without a key on the workstation (issue #11): the token's MAC is the
// output of an oblivious PRF (RFC 9497, ristretto255-SHA512, base mode) evaluated by
// the manager, instead of an HMAC under a site key every agent holds. This file is
// the part both sides agree on without the crypto: which bytes go into the PRF for a
// value, and how its 64-byte output becomes the 16 hex digits of a token. The token
// keeps the format of token-format.ts (`u_<16 hex>`, `p_<class>_d<depth>_<16 hex>`…):
// nothing downstream changes, but a site that switches mode gets new tokens for
// everyone, like a key rotation (docs/privacy.md, *Pseudonym modes*).
//
// Paths are the exception to "one PRF value per value": the PRF is asked for the path's
// FOLDER (kind `folder`, canonicalFolder), and the path's MAC is an HMAC keyed by the
// first 32 bytes of that output (`oprfPathMac`). A workstation then pays one evaluation
// per new folder, not per new file — and, holding a folder's output, can compute the
// token of any name in that folder offline (docs/privacy.md says what that exposes).
import { createHmac } from 'node:crypto';
import { canonicalFolder, canonicalForm, canonicalPath } from './canonical-form';
import { TOKEN_HEX_LENGTH, type PseudonymKind } from './token-format';

/**
 * What goes through the PRF: the token kinds but `path`, the folder of a path, and unusual
 * file extensions (`.~<6 hex>`).
 */
export type OprfValueKind = Exclude<PseudonymKind, 'path'> | 'folder' | 'extension';

/** How a site's tokens are made: HMAC under a key every agent holds, or the manager's OPRF. */
export const pseudonymModes = ['local-key', 'oprf'] as const;
export type PseudonymMode = (typeof pseudonymModes)[number];

/** Bytes of a folder's PRF output that key its paths' MACs (the output has 64). */
export const FOLDER_KEY_BYTES = 32;

/**
 * One PRF input per (kind, canonical value): `<kind> NUL <canonical form>`, as the HMAC mode
 * hashes. For `folder`, `value` is a PATH (any spelling) and the input names its folder:
 * `folder NUL <canonicalFolder(path)>`.
 */
export function oprfInput(kind: OprfValueKind, value: string): Uint8Array {
  return Buffer.from(`${kind}\0${oprfCanonical(kind, value)}`, 'utf8');
}

function oprfCanonical(kind: OprfValueKind, value: string): string {
  switch (kind) {
    case 'extension':
      return value.toLowerCase();
    case 'folder':
      return canonicalFolder(value);
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

/** What a workstation keeps of its folder's PRF output: the key of its paths' MACs. */
export function folderKeyOfOprfOutput(output: Uint8Array): Buffer {
  if (output.length < FOLDER_KEY_BYTES) throw new Error(`a folder's PRF output has ${output.length} bytes`);
  return Buffer.from(output.subarray(0, FOLDER_KEY_BYTES));
}

/**
 * The MAC of a path's token in OPRF mode, on both sides (the agent from its cached folder key,
 * the manager's re-identification from the PRF output it computes): the first 16 hex digits of
 * HMAC-SHA-256(key = first 32 bytes of F, message = `path` NUL canonical path), where F is the
 * PRF output of `oprfInput('folder', path)`. `folderOutput` may be F itself or its first 32 bytes.
 */
export function oprfPathMac(folderOutput: Uint8Array, path: string): string {
  return createHmac('sha256', folderKeyOfOprfOutput(folderOutput))
    .update('path\0')
    .update(canonicalPath(path), 'utf8')
    .digest('hex')
    .slice(0, TOKEN_HEX_LENGTH);
}

/**
 * The MAC of any token kind in OPRF mode given the PRF itself (the manager's key, a test's):
 * one evaluation of the value, or for a path one of its folder and the HMAC above.
 */
export function oprfMacWith(prf: (input: Uint8Array) => Uint8Array, kind: PseudonymKind, value: string): string {
  if (kind === 'path') return oprfPathMac(prf(oprfInput('folder', value)), value);
  return macOfOprfOutput(prf(oprfInput(kind, value)));
}
