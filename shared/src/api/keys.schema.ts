// Workstation key-encryption keys (manager/src/keys/), as the admin API shows them: never
// any private material, only the public half and its state.
import { z } from 'zod';

export const KekView = z.object({
  keyId: z.string(),
  version: z.number().int(),
  agentId: z.string(),
  /** Raw X25519 public key, base64. */
  publicKey: z.string(),
  createdAt: z.number().int(),
  revokedAt: z.number().int().nullable(),
  revokedBy: z.string().nullable(),
  /** The version the agent seals with now. */
  current: z.boolean(),
});
export type KekView = z.infer<typeof KekView>;

export const KekList = z.object({ items: z.array(KekView) });
export type KekList = z.infer<typeof KekList>;

export const KekRotation = z.object({
  keyId: z.string(),
  version: z.number().int(),
  previousVersion: z.number().int(),
});
export type KekRotation = z.infer<typeof KekRotation>;

export const KekRevokeRequest = z.strictObject({ reason: z.string().trim().min(1).max(500) });
export type KekRevokeRequest = z.infer<typeof KekRevokeRequest>;

export const KekRevocation = z.object({ agentId: z.string(), keyIds: z.array(z.string()), versions: z.number().int() });
export type KekRevocation = z.infer<typeof KekRevocation>;
