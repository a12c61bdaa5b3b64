// Worker-thread entry: trains the autoencoder off the scorer's thread (tfjs
// training takes ~100 MB and seconds of CPU) and reports progress.
import { parentPort, workerData } from 'node:worker_threads';
import { trainAutoencoder, type AutoencoderOptions } from './autoencoder';

export interface TrainJob {
  rows: Float32Array;
  inputs: number;
  folder: string;
  options: AutoencoderOptions;
}

export type TrainMessage =
  | { type: 'progress'; epoch: number; epochs: number; loss: number }
  | { type: 'done'; backend: string; finalLoss: number }
  | { type: 'error'; message: string };

if (parentPort && workerData && (workerData as { wardwatchTrainJob?: boolean }).wardwatchTrainJob) {
  const port = parentPort;
  const job = workerData as TrainJob;
  trainAutoencoder(job.rows, job.inputs, job.folder, job.options, (p) =>
    port.postMessage({ type: 'progress', ...p } satisfies TrainMessage),
  )
    .then((result) => port.postMessage({ type: 'done', ...result } satisfies TrainMessage))
    .catch((error: unknown) =>
      port.postMessage({ type: 'error', message: String((error as Error)?.message ?? error) } satisfies TrainMessage),
    );
}
