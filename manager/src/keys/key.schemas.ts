// The shapes a (hostile) agent may send to the key service, checked at the gRPC edge:
// every string, size and number bounded. Types derive from here.
import { BULK_UNSEAL_REASON } from '@wardwatch/shared';
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
  /**
   * Who opens: the local user's pseudonym token (`u_…`), never a name; or the workstation's
   * own host token (`h_…`) for a bulk unseal after its tier dropped (nobody at a keyboard
   * asked), which must say so in its reason. Either way the audit row names it.
   */
  userToken: z
    .string()
    .refine(
      (t) => ['user', 'host'].includes(parsePseudonym(t)?.kind ?? ''),
      'the opener must be a user (or, for a bulk unseal, host) pseudonym token',
    ),
  reason: z.string().trim().min(3, 'a reason is required').max(500),
}).refine((r) => parsePseudonym(r.userToken)?.kind !== 'host' || r.reason.startsWith(BULK_UNSEAL_REASON), {
  path: ['reason'],
  message: `a workstation opens files only for a bulk unseal ("${BULK_UNSEAL_REASON}…")`,
});
export type UnwrapRequest = z.infer<typeof UnwrapRequest>;

export const RewrapRequest = z.object({
  keyId: KeyId,
  keys: z.array(WrappedDataKey).min(1).max(MAX_REWRAP_KEYS),
});
export type RewrapRequest = z.infer<typeof RewrapRequest>;
