// Builds and signs the SignedPolicy for one agent: the tier's settings as JSON (the
// shared TierSettings) in a PolicyPayload, signed over its bytes with a command key the
// agent pinned (the same custody and verification as commands).
import { PolicyPayload, type SignedPolicy } from '@wardwatch/proto';
import type { PolicyTier } from '@wardwatch/shared';
import type { CommandSigner } from '../commands/agent-signer';

export interface PolicyDeliveryTarget {
  agentId: string;
  revision: number;
  policyVersion: number;
  tier: PolicyTier;
  issuedAtMs: number;
}

export function signPolicy(target: PolicyDeliveryTarget, signer: CommandSigner): SignedPolicy {
  const payload = PolicyPayload.encode({
    agentId: target.agentId,
    revision: target.revision,
    policyVersion: target.policyVersion,
    tier: target.tier.id,
    tierName: target.tier.name,
    issuedAtMs: target.issuedAtMs,
    settingsJson: JSON.stringify(target.tier.settings),
  }).finish();
  return { payload: Buffer.from(payload), signature: signer.sign(payload), keyId: signer.keyId };
}
