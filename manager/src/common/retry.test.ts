import { describe, expect, it } from 'vitest';
import { retry } from './retry';

describe('retry', () => {
  const noWait = () => Promise.resolve();

  it('runs again after a failure worth retrying, with growing backoff, until it succeeds', async () => {
    let calls = 0;
    const waits: number[] = [];
    const result = await retry(() => (++calls < 3 ? Promise.reject(new Error('busy')) : Promise.resolve('done')), {
      sleep: (ms) => (waits.push(ms), Promise.resolve()),
      baseMs: 10,
      maxMs: 1_000,
    });
    expect(result).toBe('done');
    expect(calls).toBe(3);
    expect(waits).toHaveLength(2);
    expect(waits[1]).toBeLessThan(20);
  });

  it('gives up after the last attempt with the last error', async () => {
    let calls = 0;
    await expect(
      retry(() => Promise.reject(new Error(`no ${++calls}`)), { attempts: 3, sleep: noWait }),
    ).rejects.toThrow('no 3');
  });

  it('throws at once what is not worth retrying', async () => {
    let calls = 0;
    const run = () => (calls++, Promise.reject(new Error('bad input')));
    await expect(retry(run, { retryIf: () => false, sleep: noWait })).rejects.toThrow('bad input');
    expect(calls).toBe(1);
  });
});
