// Checks a maintenance code typed at the workstation (IT staff): signed by a pinned
// command key, for this agent, not expired, long enough for what is asked, and not
// used here before (the caller records its id once it is accepted).
import { verify, type KeyObject } from 'node:crypto';
import { parseMaintenanceCode, type MaintenanceCodePayload } from '@wardwatch/shared/agent';

export type CodeCheck = { ok: true; payload: MaintenanceCodePayload } | { ok: false; reason: string };

export interface CodeContext {
  key(keyId: string): KeyObject | undefined;
  agentId: string;
  now: number;
  isUsed(codeId: string): boolean;
  /** Minutes asked for (maintenance); undefined for an undo. */
  minutes?: number;
}

export function verifyMaintenanceCode(text: string, context: CodeContext): CodeCheck {
  const parsed = parseMaintenanceCode(text);
  if (!parsed) return { ok: false, reason: 'not a maintenance code' };
  const key = context.key(parsed.keyId);
  if (!key) return { ok: false, reason: 'the code is not signed by a key this agent has pinned' };
  const valid = safeVerify(parsed.signedBytes, key, parsed.signature);
  if (!valid) return { ok: false, reason: 'the code has a bad signature' };
  const payload = parsed.payload;
  if (payload.agentId !== context.agentId) return { ok: false, reason: 'the code is for another workstation' };
  if (context.now >= payload.expiresAtMs) return { ok: false, reason: 'the code has expired' };
  if (context.minutes !== undefined && context.minutes > payload.maxMinutes)
    return { ok: false, reason: `the code allows at most ${payload.maxMinutes} minutes` };
  if (context.isUsed(payload.codeId)) return { ok: false, reason: 'the code was already used' };
  return { ok: true, payload };
}

function safeVerify(data: Uint8Array, key: KeyObject, signature: Uint8Array): boolean {
  try {
    return verify(null, data, key, signature);
  } catch {
    return false;
  }
}
