// Decides whether a SignedPolicy may be applied at all, like verify-command.ts for
// commands: the signature is checked over the payload bytes exactly as received, with
// a command key this agent pinned, before anything in the payload is believed. Then:
// for this agent, not issued in the future, a revision above the one applied (an older
// or the same revision is a replay and is refused), and settings the shared schema
// accepts. Pure apart from node:crypto; never throws.
import { createHash, type KeyObject } from 'node:crypto';
import { PolicyPayload, type SignedPolicy } from '@wardwatch/proto';
import { TierId, TierSettings } from '@wardwatch/shared/agent';
import { CLOCK_SKEW_MS } from '../response/verify-command';
import { decodeOrNull, safeVerify } from '../response/command-keys/signed-bytes';

export interface VerifiedPolicy {
  revision: number;
  policyVersion: number;
  tier: string;
  tierName: string;
  issuedAtMs: number;
  settings: TierSettings;
  keyId: string;
  payloadHash: string;
}

export type PolicyVerification = { ok: true; policy: VerifiedPolicy } | { ok: false; reason: string };

export interface PolicyVerifyContext {
  key(keyId: string): KeyObject | undefined;
  agentId: string;
  /** The revision in force now (0: none); only a higher one is taken. */
  appliedRevision: number;
  now: number;
}

/** Settings JSON above this is refused before parsing: a tier's settings are a few kilobytes. */
const MAX_SETTINGS_JSON = 64 * 1024;

export function verifySignedPolicy(signed: SignedPolicy, context: PolicyVerifyContext): PolicyVerification {
  const refuse = (reason: string): PolicyVerification => ({ ok: false, reason });
  const key = context.key(signed.keyId);
  if (!key) return refuse('signed by a key this agent has not pinned');
  if (!safeVerify(signed.payload, key, signed.signature)) return refuse('bad signature');
  const payload = decodeOrNull(PolicyPayload, signed.payload);
  if (!payload) return refuse('the payload cannot be read');
  if (payload.agentId !== context.agentId) return refuse('meant for another agent');
  if (payload.revision <= context.appliedRevision)
    return refuse(`revision ${payload.revision} is not above the applied ${context.appliedRevision} (replay)`);
  if (payload.issuedAtMs > context.now + CLOCK_SKEW_MS) return refuse('issued in the future');
  if (!TierId.safeParse(payload.tier).success) return refuse('no usable tier id');
  if (payload.settingsJson.length > MAX_SETTINGS_JSON) return refuse('settings too large');
  const settings = parseSettings(payload.settingsJson);
  if (!settings.ok) return refuse(`settings refused: ${settings.problem}`);
  return {
    ok: true,
    policy: {
      revision: payload.revision,
      policyVersion: payload.policyVersion,
      tier: payload.tier,
      tierName: payload.tierName.slice(0, 64),
      issuedAtMs: payload.issuedAtMs,
      settings: settings.value,
      keyId: signed.keyId,
      payloadHash: createHash('sha256').update(signed.payload).digest('hex'),
    },
  };
}

function parseSettings(json: string): { ok: true; value: TierSettings } | { ok: false; problem: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return { ok: false, problem: 'not JSON' };
  }
  const parsed = TierSettings.safeParse(raw);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0];
  return { ok: false, problem: `${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`.slice(0, 200) };
}
