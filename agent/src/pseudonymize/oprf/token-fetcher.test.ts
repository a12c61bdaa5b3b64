// When the fetcher calls the manager: events' values gather for a while so that a trickle
// of new values costs one call per gathering, not one per value; urgent values (a
// score's) do not wait that long. Evaluated for real under a key the agent never holds.
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../logging/logger';
import { OprfTokens, type EvaluateOptions, type OprfEvaluator } from './oprf-tokens';
import { expected, oprf, secretKey } from './oprf-test-kit.fixture';
import { TokenFetcher } from './token-fetcher';

class RecordingEvaluator implements OprfEvaluator {
  readonly calls: { at: number; values: number; priority: boolean }[] = [];
  evaluate(blinded: Uint8Array[], options?: EvaluateOptions) {
    this.calls.push({ at: Date.now(), values: blinded.length, priority: options?.priority ?? false });
    return Promise.resolve({ evaluated: blinded.map((b) => oprf.blindEvaluate(secretKey, b)), keyId: 'k1' });
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const stops: (() => void)[] = [];
afterEach(() => stops.splice(0).forEach((stop) => stop()));

function setUp(gather: { gatherMs?: number; urgentGatherMs?: number }) {
  const tokens = new OprfTokens();
  const evaluator = new RecordingEvaluator();
  let batches = 0;
  const fetcher = new TokenFetcher({
    tokens,
    evaluator,
    logger: createMemoryLogger(),
    onTokens: () => batches++,
    ...gather,
  });
  stops.push(() => fetcher.stop());
  return { tokens, evaluator, batches: () => batches };
}

describe('TokenFetcher', () => {
  it("gathers events' values: new accounts 10 ms apart go to the manager in one call", async () => {
    // A gathering far longer than the 40 ms the five take, so that a loaded machine (CI) stretching
    // each 10 ms sleep cannot split them; without gathering this is five calls.
    const { tokens, evaluator } = setUp({ gatherMs: 1_500 });
    const users = ['nurse1', 'nurse2', 'nurse3', 'nurse4', 'nurse5'];
    for (const user of users) {
      expect(tokens.mac('user', user)).toBeUndefined();
      await sleep(10);
    }
    await expect.poll(() => users.every((u) => tokens.mac('user', u) !== undefined), { timeout: 5_000 }).toBe(true);
    expect(evaluator.calls.map((c) => c.values)).toEqual([5]);
    for (const user of users) expect(`u_${tokens.mac('user', user)}`).toBe(expected('u', 'user', user));
  });

  it('asks an urgent value without waiting out the gathering of events', async () => {
    const { tokens, evaluator } = setUp({ gatherMs: 5_000, urgentGatherMs: 10 });
    const asked = Date.now();
    tokens.prioritized(() => tokens.mac('user', 'nurse7'));
    await expect.poll(() => tokens.mac('user', 'nurse7'), { timeout: 2_000 }).toBeDefined();
    expect(evaluator.calls).toHaveLength(1);
    expect(evaluator.calls[0].priority).toBe(true);
    expect(evaluator.calls[0].at - asked).toBeLessThan(1_000);
  });
});
