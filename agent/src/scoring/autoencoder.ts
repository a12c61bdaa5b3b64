// A small dense autoencoder over normalised feature vectors. tfjs trains it; for
// scoring, its weights are copied into plain Float32Arrays and run by a few
// lines of JS (DenseForward): for ~20 inputs that is far cheaper per window than
// a tfjs call, and it is checked against tf.predict in the tests.
import * as tf from '@tensorflow/tfjs';
import { fileIoHandler } from './file-io-handler';
import { initTf } from './tf-backend';

export interface AutoencoderOptions {
  hidden: number[];
  epochs: number;
  batchSize: number;
  seed: number;
  learningRate: number;
}

export const DEFAULT_AUTOENCODER: AutoencoderOptions = { hidden: [12, 6, 12], epochs: 25, batchSize: 128, seed: 7, learningRate: 0.01 };

export interface TrainProgress {
  epoch: number;
  epochs: number;
  loss: number;
}

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
  model.add(tf.layers.dense({ units: inputs, activation: 'linear', kernelInitializer: tf.initializers.glorotUniform({ seed: options.seed + 99 }) }));
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

interface Layer {
  inputs: number;
  units: number;
  kernel: Float32Array;
  bias: Float32Array;
  relu: boolean;
}

/** The trained network as plain arrays; `error()` is the per-row reconstruction MSE. */
export class DenseForward {
  private readonly buffers: Float64Array[];

  constructor(private readonly layers: Layer[]) {
    this.buffers = layers.map((l) => new Float64Array(l.units));
  }

  static async fromFolder(folder: string): Promise<DenseForward> {
    const model = await loadTfModel(folder);
    try {
      return DenseForward.fromModel(model);
    } finally {
      model.dispose();
    }
  }

  static fromModel(model: tf.LayersModel): DenseForward {
    const layers: Layer[] = model.layers.map((layer, i) => {
      const [kernel, bias] = layer.getWeights();
      const [inputs, units] = kernel.shape as [number, number];
      return {
        inputs,
        units,
        kernel: kernel.dataSync() as Float32Array,
        bias: bias.dataSync() as Float32Array,
        relu: i < model.layers.length - 1,
      };
    });
    return new DenseForward(layers);
  }

  get inputs(): number {
    return this.layers[0].inputs;
  }

  /** Reconstruction of one row (the returned buffer is reused by the next call). */
  forward(input: ArrayLike<number>): Float64Array {
    let current: ArrayLike<number> = input;
    for (let l = 0; l < this.layers.length; l++) {
      const { inputs, units, kernel, bias, relu } = this.layers[l];
      const out = this.buffers[l];
      for (let u = 0; u < units; u++) out[u] = bias[u];
      for (let i = 0; i < inputs; i++) {
        const x = current[i];
        if (x === 0) continue;
        const row = i * units;
        for (let u = 0; u < units; u++) out[u] += x * kernel[row + u];
      }
      if (relu) for (let u = 0; u < units; u++) if (out[u] < 0) out[u] = 0;
      current = out;
    }
    return current as Float64Array;
  }

  error(input: ArrayLike<number>): number {
    const output = this.forward(input);
    let sum = 0;
    for (let i = 0; i < output.length; i++) {
      const d = output[i] - input[i];
      sum += d * d;
    }
    return sum / output.length;
  }
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
