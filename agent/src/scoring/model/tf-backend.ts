// Chooses the TensorFlow.js backend at run time: tfjs-node where it happens to be
// installed (it cannot be installed offline here), else wasm (SIMD, single
// thread, ~3× the pure-JS backend here), else the pure-JS cpu backend.
import * as tf from '@tensorflow/tfjs';

export type TfBackend = 'tensorflow' | 'wasm' | 'cpu';

let chosen: Promise<TfBackend> | undefined;

export function initTf(): Promise<TfBackend> {
  chosen ??= pick();
  return chosen;
}

async function pick(): Promise<TfBackend> {
  try {
    require.resolve('@tensorflow/tfjs-node');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('@tensorflow/tfjs-node');
    if (await tf.setBackend('tensorflow')) return 'tensorflow';
  } catch {
    // not installed: the usual case
  }
  try {
    await import('@tensorflow/tfjs-backend-wasm');
    if (await tf.setBackend('wasm')) {
      await tf.ready();
      return 'wasm';
    }
  } catch {
    // fall through to cpu
  }
  await tf.setBackend('cpu');
  await tf.ready();
  return 'cpu';
}
