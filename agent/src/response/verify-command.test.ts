import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkCommandKey } from './command-keys/command-key-store';
import { AGENT_ID, makeCommandKey, payloadOf, signCommand } from './response-test-kit.fixture';
import { MAX_VALIDITY_MS, verifyCommand } from './verify-command';

const key = makeCommandKey();
const other = makeCommandKey();
const pinned = checkCommandKey(key.commandKey);
if (!('key' in pinned)) throw new Error('test key not usable');
const now = 1_800_000_000_000;
const context = { key: (id: string) => (id === key.commandKey.keyId ? pinned.key : undefined), agentId: AGENT_ID, now };

function reason(result: ReturnType<typeof verifyCommand>): string {
  return result.ok ? 'ok' : result.reason;
}

describe('verifyCommand', () => {
  it('accepts a command signed by the pinned key for this agent', () => {
    const payload = payloadOf({}, now);
    const result = verifyCommand(signCommand(key, payload), context);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.payload.commandId).toBe(payload.commandId);
  });

  it('refuses a bad signature, an unknown key, another agent, expired and future commands', () => {
    const good = signCommand(key, payloadOf({}, now));
    expect(reason(verifyCommand({ ...good, signature: Buffer.alloc(64, 1) }, context))).toBe('bad signature');
    expect(reason(verifyCommand(signCommand(other, payloadOf({}, now)), context))).toMatch(/not pinned/);
    // Signed by another key but claiming ours: the signature does not hold.
    const forged = signCommand(other, payloadOf({}, now));
    expect(reason(verifyCommand({ ...forged, keyId: key.commandKey.keyId }, context))).toBe('bad signature');
    expect(reason(verifyCommand(signCommand(key, payloadOf({ agentId: 'agent-8' }, now)), context))).toBe(
      'meant for another agent',
    );
    expect(reason(verifyCommand(signCommand(key, payloadOf({ expiresAtMs: now }, now)), context))).toBe('expired');
    expect(
      reason(
        verifyCommand(
          signCommand(key, payloadOf({ issuedAtMs: now + 61_000, expiresAtMs: now + 600_000 }, now)),
          context,
        ),
      ),
    ).toBe('issued in the future');
    // Within the 60 s skew: accepted.
    expect(reason(verifyCommand(signCommand(key, payloadOf({ issuedAtMs: now + 59_000 }, now)), context))).toBe('ok');
    expect(
      reason(verifyCommand(signCommand(key, payloadOf({ expiresAtMs: now + MAX_VALIDITY_MS + 1 }, now)), context)),
    ).toBe('valid for longer than 7 days');
    expect(reason(verifyCommand(signCommand(key, payloadOf({ action: undefined }, now)), context))).toBe(
      'unknown action',
    );
  });

  it('names the claimed command id in a refusal', () => {
    const payload = payloadOf({ agentId: 'agent-8' }, now);
    const result = verifyCommand(signCommand(key, payload), context);
    expect(result.ok ? '' : result.commandId).toBe(payload.commandId);
  });

  it('refuses any single flipped bit in the payload or the signature', () => {
    const signed = signCommand(key, payloadOf({}, now));
    const payloadBits = signed.payload.length * 8;
    const total = payloadBits + signed.signature.length * 8;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: total - 1 }), (bit) => {
        const payload = Buffer.from(signed.payload);
        const signature = Buffer.from(signed.signature);
        const target = bit < payloadBits ? payload : signature;
        const at = bit < payloadBits ? bit : bit - payloadBits;
        target[at >> 3] = (target[at >> 3] ?? 0) ^ (1 << (at & 7));
        const result = verifyCommand({ payload, signature, keyId: signed.keyId }, context);
        expect(result.ok).toBe(false);
      }),
      { numRuns: 500 },
    );
  });
});
