// The shapes a (hostile) agent may send to the key service, checked at the gRPC edge:
// every string, size and number bounded. Types derive from here.
import { parsePseudonym } from '@wardwatch/shared/pseudonyms';
import { HEADER_DIGEST_BYTES, WRAPPED_KEY_BYTES } from '@wardwatch/shared/sealing';
import { z } from 'zod';

export const MAX_REWRAP_KEYS = 256;
export const AgentIdParam = z.string().min(1).max(64);
export const KeyId = z.string().regex(/^kek_[0-9a-f]{32}$/, 'not a key id of this manager');
const KekVersion = z.number().int().min(1).max(1_000_000);
const bytesOf = (length: number, what: string) =>
  z.instanceof(Uint8Array).refine((b) => b.length === length, `${what} must be ${length} bytes`);

export const WrappedDataKey = z.object({
  kekVersion: KekVersion,
  wrappedKey: bytesOf(WRAPPED_KEY_BYTES, 'a wrapped key'),
  headerDigest: bytesOf(HEADER_DIGEST_BYTES, 'a header digest'),
});
export type WrappedDataKey = z.infer<typeof WrappedDataKey>;

export const UnwrapRequest = WrappedDataKey.extend({
  keyId: KeyId,
  policyVersion: z.number().int().min(0).max(0xffff_ffff),
  /** The local user's pseudonym token (`u_…`), never a name. */
  userToken: z.string().refine((t) => parsePseudonym(t)?.kind === 'user', 'the user must be a user pseudonym token'),
  reason: z.string().trim().min(3, 'a reason is required').max(500),
});
export type UnwrapRequest = z.infer<typeof UnwrapRequest>;

export const RewrapRequest = z.object({
  keyId: KeyId,
  keys: z.array(WrappedDataKey).min(1).max(MAX_REWRAP_KEYS),
});
export type RewrapRequest = z.infer<typeof RewrapRequest>;
