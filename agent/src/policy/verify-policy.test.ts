import { createPublicKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { makeCommandKey } from '../response/response-test-kit.fixture';
import { signedPolicy, TEST_AGENT_ID, tierSettings } from './policy-test-kit.fixture';
import { verifySignedPolicy } from './verify-policy';

const key = makeCommandKey();
/** The agent holds the public half only, as pinned from the manager's CommandKey. */
const publicKey = createPublicKey(key.privateKey);
const publicContext = (appliedRevision = 0) => ({
  key: (id: string) => (id === key.commandKey.keyId ? publicKey : undefined),
  agentId: TEST_AGENT_ID,
  appliedRevision,
  now: Date.now(),
});

describe('verifySignedPolicy', () => {
  it('takes a policy signed by a pinned key for this agent above the applied revision', () => {
    const verdict = verifySignedPolicy(
      signedPolicy(key, { revision: 3, tier: 'lockdown', settings: tierSettings('lockdown') }),
      publicContext(2),
    );
    expect(verdict.ok).toBe(true);
    if (!verdict.ok) return;
    expect(verdict.policy).toMatchObject({ revision: 3, tier: 'lockdown', settings: tierSettings('lockdown') });
    expect(verdict.policy.payloadHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses a replay: the same or an older revision than the one applied', () => {
    const old = signedPolicy(key, { revision: 2 });
    expect(verifySignedPolicy(old, publicContext(2))).toEqual({
      ok: false,
      reason: expect.stringMatching(/replay/) as unknown,
    });
    expect(verifySignedPolicy(old, publicContext(5))).toEqual({
      ok: false,
      reason: expect.stringMatching(/replay/) as unknown,
    });
  });

  it('refuses a forged signature, an unpinned key, a changed payload and another agent', () => {
    const other = makeCommandKey();
    const forged = signedPolicy(key, { revision: 1 }, other.privateKey);
    expect(verifySignedPolicy(forged, publicContext())).toMatchObject({ ok: false, reason: 'bad signature' });
    expect(verifySignedPolicy(signedPolicy(other, {}), publicContext())).toMatchObject({
      ok: false,
      reason: 'signed by a key this agent has not pinned',
    });
    const tampered = signedPolicy(key, { revision: 1 });
    tampered.payload[tampered.payload.length - 2] ^= 1;
    expect(verifySignedPolicy(tampered, publicContext())).toMatchObject({ ok: false, reason: 'bad signature' });
    expect(verifySignedPolicy(signedPolicy(key, { agentId: 'someone-else' }), publicContext())).toMatchObject({
      ok: false,
      reason: 'meant for another agent',
    });
  });

  it('refuses settings the shared schema does not accept, and a policy from the future', () => {
    const bad = signedPolicy(key, { settings: { ...tierSettings('baseline'), removableMedia: 'sometimes' } });
    expect(verifySignedPolicy(bad, publicContext())).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^settings refused: removableMedia/) as unknown,
    });
    const future = signedPolicy(key, { issuedAtMs: Date.now() + 3_600_000 });
    expect(verifySignedPolicy(future, publicContext())).toMatchObject({ ok: false, reason: 'issued in the future' });
  });
});
