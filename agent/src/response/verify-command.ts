// Decides whether a SignedCommand may be run at all: the signature is checked over the
// payload bytes exactly as received (no canonical form), with the pinned key the command
// names, before anything in the payload is believed. Then: for this agent, not issued
// in the future (60 s of clock skew allowed), not expired, not valid for absurdly long,
// and an action this agent knows. Pure apart from node:crypto; never throws.
import { createHash, type KeyObject } from 'node:crypto';
import { CommandPayload, type SignedCommand } from '@wardwatch/proto';
import { decodeOrNull, safeVerify } from './command-keys/signed-bytes';

export const CLOCK_SKEW_MS = 60_000;
/** A command valid longer than this after its issue is refused: a leaked one must not live for months. */
export const MAX_VALIDITY_MS = 7 * 24 * 3_600_000;

export type CommandAction = NonNullable<CommandPayload['action']>;
export type VerifiedCommand = CommandPayload & { action: CommandAction };

export type Verification =
  | { ok: true; payload: VerifiedCommand; keyId: string; payloadHash: string }
  | {
      ok: false;
      reason: string;
      /** The id the (untrusted) payload claims, for the refusal's result; "" when unreadable. */
      commandId: string;
    };

export interface VerifyContext {
  key(keyId: string): KeyObject | undefined;
  agentId: string;
  now: number;
}

export function verifyCommand(signed: SignedCommand, context: VerifyContext): Verification {
  const claimed = decodeOrNull(CommandPayload, signed.payload);
  const refuse = (reason: string): Verification => ({
    ok: false,
    reason,
    commandId: claimed?.commandId.slice(0, 64) ?? '',
  });
  const key = context.key(signed.keyId);
  if (!key) return refuse('signed by a key this agent has not pinned');
  const valid = safeVerify(signed.payload, key, signed.signature);
  if (!valid) return refuse('bad signature');
  if (!claimed) return refuse('the payload cannot be read');
  const payload = claimed;
  if (!payload.commandId || payload.commandId.length > 64) return refuse('no usable command id');
  if (payload.agentId !== context.agentId) return refuse('meant for another agent');
  if (payload.issuedAtMs > context.now + CLOCK_SKEW_MS) return refuse('issued in the future');
  if (context.now >= payload.expiresAtMs) return refuse('expired');
  if (payload.expiresAtMs - payload.issuedAtMs > MAX_VALIDITY_MS) return refuse('valid for longer than 7 days');
  if (!payload.action) return refuse('unknown action');
  return {
    ok: true,
    payload: payload as VerifiedCommand,
    keyId: signed.keyId,
    payloadHash: createHash('sha256').update(signed.payload).digest('hex'),
  };
}
