// Signed policies for the agent's policy tests, signed like the manager signs them
// (Ed25519 over the PolicyPayload bytes) with a test command key.
import { sign, type KeyObject } from 'node:crypto';
import { PolicyPayload, type SignedPolicy } from '@wardwatch/proto';
import { DEFAULT_POLICY, type TierSettings } from '@wardwatch/shared';
import type { TestCommandKey } from '../response/response-test-kit.fixture';

export const TEST_AGENT_ID = 'agent-policy-test';

export function tierSettings(
  tier: 'baseline' | 'elevated' | 'lockdown',
  changes: Partial<TierSettings> = {},
): TierSettings {
  const found = DEFAULT_POLICY.tiers.find((t) => t.id === tier);
  if (!found) throw new Error(`no tier ${tier}`);
  return { ...structuredClone(found.settings), ...changes };
}

export function signedPolicy(
  key: TestCommandKey,
  payload: Partial<PolicyPayload> & { settings?: unknown },
  signer: KeyObject = key.privateKey,
): SignedPolicy {
  const { settings, ...fields } = payload;
  const bytes = PolicyPayload.encode({
    agentId: TEST_AGENT_ID,
    revision: 1,
    policyVersion: 1,
    tier: 'baseline',
    tierName: 'Baseline',
    issuedAtMs: Date.now(),
    settingsJson: JSON.stringify(settings ?? tierSettings('baseline')),
    ...fields,
  }).finish();
  return { payload: Buffer.from(bytes), signature: sign(null, bytes, signer), keyId: key.commandKey.keyId };
}
