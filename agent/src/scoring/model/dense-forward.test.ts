import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DenseForward } from './dense-forward';

/** A model folder as file-io-handler writes it: 2 → 1 (relu) → 2 (linear). */
function tinyModel(
  weights: number[],
  // dtype may be left out (tfjs then means float32): the last case below relies on that.
  manifest: { name: string; shape: number[]; dtype?: string }[] = [
    { name: 'dense_Dense1/kernel', shape: [2, 1], dtype: 'float32' },
    { name: 'dense_Dense1/bias', shape: [1], dtype: 'float32' },
    { name: 'dense_Dense2/kernel', shape: [1, 2], dtype: 'float32' },
    { name: 'dense_Dense2/bias', shape: [2], dtype: 'float32' },
  ],
): string {
  const folder = mkdtempSync(join(tmpdir(), 'ww-dense-'));
  writeFileSync(
    join(folder, 'model.json'),
    JSON.stringify({ modelTopology: {}, weightsManifest: [{ paths: ['weights.bin'], weights: manifest }] }),
  );
  writeFileSync(join(folder, 'weights.bin'), Buffer.from(new Float32Array(weights).buffer));
  return folder;
}

describe('DenseForward without tfjs', () => {
  it('reads kernel and bias per layer from the saved files and runs relu then linear', async () => {
    // hidden = relu(1·x0 + 2·x1 − 1); out = [3·hidden + 0.5, −1·hidden]
    const network = await DenseForward.fromFolder(tinyModel([1, 2, -1, 3, -1, 0.5, 0]));
    expect(network.inputs).toBe(2);
    expect([...network.forward([1, 1])]).toEqual([6.5, -2]);
    expect([...network.forward([0, 0])]).toEqual([0.5, 0]); // relu cut the negative hidden unit
    expect(network.error([0, 0])).toBeCloseTo(0.125, 6);
  });

  it('refuses files that do not describe a dense stack', async () => {
    await expect(DenseForward.fromFolder(tinyModel([1, 2, -1, 3, -1, 0.5]))).rejects.toThrow(
      /shorter than its manifest/,
    );
    await expect(DenseForward.fromFolder(tinyModel([1, 2, -1, 3, -1, 0.5, 0, 9]))).rejects.toThrow(
      /longer than its manifest/,
    );
    await expect(
      DenseForward.fromFolder(
        tinyModel(
          [1, 2, -1],
          [
            { name: 'k', shape: [2, 1], dtype: 'int32' },
            { name: 'b', shape: [1], dtype: 'float32' },
          ],
        ),
      ),
    ).rejects.toThrow(/expected float32/);
    await expect(
      DenseForward.fromFolder(
        tinyModel(
          [1, 2, -1, 3, -1, 0.5, 0],
          [
            { name: 'k', shape: [2, 1] },
            { name: 'b', shape: [1] },
            { name: 'k2', shape: [3, 2] },
            { name: 'b2', shape: [2] },
          ],
        ),
      ),
    ).rejects.toThrow(/does not fit/);
  });
});
