// The trained autoencoder as plain arrays and a few lines of JS: the running
// agent scores with this and never loads tfjs (which would add tens of MB to the
// process). Weights are read straight from the model.json + weights.bin that
// file-io-handler.ts writes: the manifest lists each dense layer's kernel
// [inputs, units] then bias [units], float32, in layer order.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MODEL_JSON, WEIGHTS_BIN } from './file-io-handler';

export interface Layer {
  inputs: number;
  units: number;
  kernel: Float32Array;
  bias: Float32Array;
  relu: boolean;
}

interface WeightSpec {
  name: string;
  shape: number[];
  dtype?: string;
}

/** The trained network as plain arrays; `error()` is the per-row reconstruction MSE. */
export class DenseForward {
  private readonly buffers: Float64Array[];

  constructor(private readonly layers: Layer[]) {
    this.buffers = layers.map((l) => new Float64Array(l.units));
  }

  /** Reads a saved model's weights without tfjs; a file that does not describe a dense stack is refused. */
  static async fromFolder(folder: string): Promise<DenseForward> {
    const json = JSON.parse(await readFile(join(folder, MODEL_JSON), 'utf8')) as {
      weightsManifest?: { paths: string[]; weights: WeightSpec[] }[];
    };
    const specs = (json.weightsManifest ?? []).flatMap((group) => group.weights);
    const data = await readFile(join(folder, WEIGHTS_BIN));
    const bad = (why: string) => new Error(`model in ${folder}: ${why}`);
    if (specs.length === 0 || specs.length % 2 !== 0) throw bad('expected kernel and bias for each dense layer');
    const floats = new Float32Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
    let offset = 0;
    const take = (spec: WeightSpec) => {
      if (spec.dtype && spec.dtype !== 'float32') throw bad(`${spec.name} is ${spec.dtype}, expected float32`);
      const size = spec.shape.reduce((a, b) => a * b, 1);
      if (offset + size > floats.length) throw bad('weights.bin is shorter than its manifest');
      const values = floats.slice(offset, offset + size);
      offset += size;
      return values;
    };
    const layers: Layer[] = [];
    for (let i = 0; i < specs.length; i += 2) {
      const [kernelSpec, biasSpec] = [specs[i], specs[i + 1]];
      const [inputs, units] = kernelSpec.shape;
      if (kernelSpec.shape.length !== 2 || biasSpec.shape.length !== 1 || biasSpec.shape[0] !== units)
        throw bad(`layer ${i / 2 + 1} is not a dense kernel + bias`);
      if (layers.length > 0 && layers[layers.length - 1].units !== inputs)
        throw bad(`layer ${i / 2 + 1} does not fit the one before`);
      layers.push({ inputs, units, kernel: take(kernelSpec), bias: take(biasSpec), relu: i + 2 < specs.length });
    }
    if (offset !== floats.length) throw bad('weights.bin is longer than its manifest');
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
