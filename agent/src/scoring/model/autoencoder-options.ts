// Shapes and defaults of the autoencoder, apart from tfjs so that code that only
// scores (the running agent) never loads it.
export interface AutoencoderOptions {
  hidden: number[];
  epochs: number;
  batchSize: number;
  seed: number;
  learningRate: number;
}

export const DEFAULT_AUTOENCODER: AutoencoderOptions = {
  hidden: [12, 6, 12],
  epochs: 25,
  batchSize: 128,
  seed: 7,
  learningRate: 0.01,
};

export interface TrainProgress {
  epoch: number;
  epochs: number;
  loss: number;
}
