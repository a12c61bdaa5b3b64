// Model inputs: log1p of each count, centred and scaled by fleet statistics of
// the training windows, clipped so one absurd count cannot dominate the error.
import { FEATURE_COUNT } from '@wardwatch/shared/agent';

export interface Normalizer {
  center: number[];
  scale: number[];
}

export function fitNormalizer(rows: readonly Float64Array[]): Normalizer {
  const center: number[] = [];
  const scale: number[] = [];
  for (let f = 0; f < FEATURE_COUNT; f++) {
    let sum = 0;
    let squares = 0;
    for (const row of rows) {
      const x = Math.log1p(row[f]);
      sum += x;
      squares += x * x;
    }
    const mean = rows.length ? sum / rows.length : 0;
    const variance = rows.length ? squares / rows.length - mean * mean : 0;
    center.push(mean);
    scale.push(Math.max(Math.sqrt(Math.max(variance, 0)), 0.25));
  }
  return { center, scale };
}

export function normalize(values: Float64Array, n: Normalizer, out: Float32Array | Float64Array, offset = 0): void {
  for (let f = 0; f < FEATURE_COUNT; f++) {
    const x = (Math.log1p(values[f]) - n.center[f]) / n.scale[f];
    out[offset + f] = x > 10 ? 10 : x < -10 ? -10 : x;
  }
}
