// A small dense autoencoder over normalised feature vectors. tfjs trains it (in a
// worker); for scoring, DenseForward (dense-forward.ts) runs the saved weights in
// a few lines of plain JS without loading tfjs at all, checked against
// tf.predict in the tests.
import * as tf from '@tensorflow/tfjs';
import { DEFAULT_AUTOENCODER, type AutoencoderOptions, type TrainProgress } from './autoencoder-options';
import { fileIoHandler } from './file-io-handler';
import { initTf } from './tf-backend';

export { DEFAULT_AUTOENCODER, type AutoencoderOptions, type TrainProgress } from './autoencoder-options';
export { DenseForward } from './dense-forward';

export function buildAutoencoder(inputs: number, options: AutoencoderOptions): tf.Sequential {
  const model = tf.sequential();
  options.hidden.forEach((units, i) =>
    model.add(
      tf.layers.dense({
        units,
        activation: 'relu',
        inputShape: i === 0 ? [inputs] : undefined,
        kernelInitializer: tf.initializers.glorotUniform({ seed: options.seed + i }),
      }),
    ),
  );
  model.add(
    tf.layers.dense({
      units: inputs,
      activation: 'linear',
      kernelInitializer: tf.initializers.glorotUniform({ seed: options.seed + 99 }),
    }),
  );
  model.compile({ optimizer: tf.train.adam(options.learningRate), loss: 'meanSquaredError' });
  return model;
}

/** Trains on rows (row-major, `inputs` columns) and saves model.json + weights.bin to `folder`. */
export async function trainAutoencoder(
  rows: Float32Array,
  inputs: number,
  folder: string,
  options: AutoencoderOptions = DEFAULT_AUTOENCODER,
  onProgress: (progress: TrainProgress) => void = () => {},
): Promise<{ backend: string; finalLoss: number }> {
  const backend = await initTf();
  const count = rows.length / inputs;
  const shuffled = shuffleRows(rows, inputs, options.seed);
  const model = buildAutoencoder(inputs, options);
  const x = tf.tensor2d(shuffled, [count, inputs]);
  let finalLoss = NaN;
  try {
    await model.fit(x, x, {
      epochs: options.epochs,
      batchSize: options.batchSize,
      shuffle: false,
      verbose: 0,
      callbacks: {
        onEpochEnd: (epoch, logs) => {
          finalLoss = Number(logs?.loss);
          onProgress({ epoch: epoch + 1, epochs: options.epochs, loss: finalLoss });
        },
      },
    });
    await model.save(fileIoHandler(folder));
  } finally {
    x.dispose();
    model.dispose();
  }
  return { backend, finalLoss };
}

export async function loadTfModel(folder: string): Promise<tf.LayersModel> {
  await initTf();
  return tf.loadLayersModel(fileIoHandler(folder));
}

function shuffleRows(rows: Float32Array, inputs: number, seed: number): Float32Array {
  const count = rows.length / inputs;
  const order = Array.from({ length: count }, (_, i) => i);
  let state = seed >>> 0 || 1;
  for (let i = count - 1; i > 0; i--) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const j = state % (i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  const out = new Float32Array(rows.length);
  order.forEach((from, to) => out.set(rows.subarray(from * inputs, from * inputs + inputs), to * inputs));
  return out;
}
