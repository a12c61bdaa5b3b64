// Where the autoencoder trains: in a worker thread (default; keeps the memory
// and CPU of training off the live scorer) or inline (tests, tiny models).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { AutoencoderOptions, TrainProgress } from './autoencoder-options';
import type { TrainMessage } from './train-worker';

export type TrainerMode = 'worker' | 'inline';

export interface TrainRequest {
  rows: Float32Array;
  inputs: number;
  folder: string;
  options: AutoencoderOptions;
  onProgress?: (progress: TrainProgress) => void;
}

export async function runTraining(
  request: TrainRequest,
  mode: TrainerMode,
): Promise<{ backend: string; finalLoss: number }> {
  if (mode === 'inline') {
    // tfjs is loaded here only; in worker mode it stays out of the calling process altogether.
    const { trainAutoencoder } = await import('./autoencoder.js');
    return trainAutoencoder(request.rows, request.inputs, request.folder, request.options, request.onProgress);
  }
  const compiled = join(__dirname, 'train-worker.js');
  // From sources (tsx, vitest) the worker runs the .ts file through tsx's loader.
  const script = existsSync(compiled) ? compiled : join(__dirname, 'train-worker.ts');
  // From sources, register tsx's CommonJS loader inside the worker first.
  const source = script.endsWith('.ts')
    ? `require('tsx/cjs/api').register(); require(${JSON.stringify(script)});`
    : script;
  const worker = new Worker(source, {
    eval: script.endsWith('.ts'),
    workerData: {
      wardwatchTrainJob: true,
      rows: request.rows,
      inputs: request.inputs,
      folder: request.folder,
      options: request.options,
    },
  });
  return new Promise((resolve, reject) => {
    worker.on('message', (message: TrainMessage) => {
      if (message.type === 'progress') request.onProgress?.(message);
      else if (message.type === 'done') resolve(message);
      else reject(new Error(`training failed: ${message.message}`));
    });
    worker.on('error', reject);
    worker.on('exit', (code) => {
      if (code !== 0) reject(new Error(`training worker exited with code ${code}`));
    });
  }).finally(() => void worker.terminate()) as Promise<{ backend: string; finalLoss: number }>;
}
