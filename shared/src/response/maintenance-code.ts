// A maintenance code: what IT staff type into the tray to pause automatic actions on one
// workstation, or to undo one there. The manager signs it with its command key (Ed25519,
// the same key the agent pinned for commands), so the agent can check it offline.
// Text form: `<payload>.<signature>.<keyId>`, payload and signature base64url, the payload
// a small JSON object. This file only parses and formats; signing is the manager's
// (commands/), verifying the agent's (response/).
import { z } from 'zod';

export const MaintenanceCodePayload = z.object({
  v: z.literal(1),
  /** Unique per code, so each use can be audited and a code cannot be used beyond its bound. */
  codeId: z.string().min(8).max(64),
  agentId: z.string().min(1).max(64),
  issuedAtMs: z.number().int().nonnegative(),
  expiresAtMs: z.number().int().nonnegative(),
  /** The longest maintenance this code may start. */
  maxMinutes: z.number().int().min(5).max(480),
  /** Who asked for it in the manager (user id), for the audit trail. */
  issuedBy: z.string().min(1).max(64),
});
export type MaintenanceCodePayload = z.infer<typeof MaintenanceCodePayload>;

export interface ParsedMaintenanceCode {
  payload: MaintenanceCodePayload;
  /** The exact bytes the signature covers. */
  signedBytes: Uint8Array;
  signature: Uint8Array;
  keyId: string;
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;

export function formatMaintenanceCode(signedBytes: Uint8Array, signature: Uint8Array, keyId: string): string {
  return `${Buffer.from(signedBytes).toString('base64url')}.${Buffer.from(signature).toString('base64url')}.${keyId}`;
}

/** The parsed code, or null when it is not one (the signature is not checked here). */
export function parseMaintenanceCode(text: string): ParsedMaintenanceCode | null {
  const parts = text.trim().split('.');
  if (parts.length !== 3 || text.length > 2000) return null;
  const [payloadPart, signaturePart, keyId] = parts as [string, string, string];
  if (!BASE64URL.test(payloadPart) || !BASE64URL.test(signaturePart) || !/^[0-9a-f]{16}$/.test(keyId)) return null;
  const signedBytes = Buffer.from(payloadPart, 'base64url');
  let json: unknown;
  try {
    json = JSON.parse(signedBytes.toString('utf8'));
  } catch {
    return null;
  }
  const payload = MaintenanceCodePayload.safeParse(json);
  if (!payload.success) return null;
  return { payload: payload.data, signedBytes, signature: Buffer.from(signaturePart, 'base64url'), keyId };
}
