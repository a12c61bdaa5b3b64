// The worker thread evaluates exactly as the key does inline (RFC 9497 vector and fresh
// elements), refuses what the key refuses, keeps the event loop turning while it works,
// and comes back after it dies.
import { ristretto255_oprf } from '@noble/curves/ed25519.js';
import { loadOprfSuite } from '@wardwatch/shared/oprf';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { InlineBlindEvaluator, WorkerBlindEvaluator } from './blind-evaluator';
import { OprfKey } from './oprf-key';

const { oprf } = ristretto255_oprf;
const hex = (s: string) => Uint8Array.from(Buffer.from(s, 'hex'));
const toHex = (b: Uint8Array | undefined) => (b ? Buffer.from(b).toString('hex') : undefined);
// RFC 9497 A.1.1: the key, one blinded element and its evaluation.
let rfcKey: OprfKey;
beforeAll(async () => {
  const secret = hex('5ebcea5ee37023ccb9fc2d2019f9d7737be85591ae8652ffa9ef0f4d37063b0e');
  rfcKey = new OprfKey(secret, (await loadOprfSuite()).suite);
});
const rfcBlinded = hex('609a0ae68c15a3cf6903766461307e5c8bb2f95e7e6550e1ffa2dc99e412803c');
const rfcEvaluated = '7ec6578ae5120958eb2db1745758ff379e77cb64fe77b0b2d8cc917ea0869c7e';

const workers: WorkerBlindEvaluator[] = [];
afterEach(async () => {
  for (const w of workers.splice(0)) await w.close();
});
const worker = (key: OprfKey) => {
  const w = new WorkerBlindEvaluator(key);
  workers.push(w);
  return w;
};

describe('WorkerBlindEvaluator', () => {
  it('answers as the key does inline, undefined for what is not a valid element', async () => {
    const fresh = Array.from({ length: 5 }, (_, i) => oprf.blind(Buffer.from(`user\0n${i}`)).blinded);
    const batch = [rfcBlinded, ...fresh, new Uint8Array(32), Buffer.alloc(32, 0xff), Buffer.alloc(31, 1)];
    const inWorker = await worker(rfcKey).evaluate(batch);
    const inline = await new InlineBlindEvaluator(rfcKey).evaluate(batch);
    expect(toHex(inWorker[0])).toBe(rfcEvaluated);
    expect(inWorker.map(toHex)).toEqual(inline.map(toHex));
    expect(inWorker.slice(6)).toEqual([undefined, undefined, undefined]);
  }, 30_000);

  it('keeps the event loop turning while a full batch is evaluated', async () => {
    const w = worker(rfcKey);
    await w.evaluate([rfcBlinded]); // the worker started
    const batch = Array.from({ length: 64 }, (_, i) => oprf.blind(Buffer.from(`user\0n${i}`)).blinded);
    let turns = 0;
    let done = false;
    const spin = () => {
      if (done) return;
      turns += 1;
      setImmediate(spin);
    };
    setImmediate(spin);
    const answers = await w.evaluate(batch);
    done = true;
    expect(answers.every((a) => a?.length === 32)).toBe(true);
    // Inline, the 64 multiplications would run before any turn; in the worker the loop goes on.
    expect(turns).toBeGreaterThan(1);
    let inlineTurns = 0;
    setImmediate(() => (inlineTurns += 1));
    const pending = new InlineBlindEvaluator(rfcKey).evaluate(batch);
    expect(inlineTurns).toBe(0);
    await pending;
  }, 30_000);

  it('fails the calls a stopped worker held and starts a new one at the next call', async () => {
    const w = worker(rfcKey);
    const held = w.evaluate(Array.from({ length: 64 }, () => rfcBlinded));
    const failed = expect(held).rejects.toThrow(/stopped/);
    await w.close();
    await failed;
    expect(toHex((await w.evaluate([rfcBlinded]))[0])).toBe(rfcEvaluated);
  }, 30_000);
});
