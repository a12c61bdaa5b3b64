// A tfjs IOHandler that saves and loads a model as files (model.json +
// weights.bin) in a folder: tfjs core has no file:// handler in Node without
// tfjs-node. The JSON follows the layout tfjs uses for its own models.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { io } from '@tensorflow/tfjs';

interface ModelJson {
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  modelTopology: unknown;
  weightsManifest: { paths: string[]; weights: io.WeightsManifestEntry[] }[];
}

export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';

function toBuffer(data: ArrayBuffer | ArrayBuffer[]): Buffer {
  return Array.isArray(data) ? Buffer.concat(data.map((d) => Buffer.from(d))) : Buffer.from(data);
}

export function fileIoHandler(folder: string): io.IOHandler {
  return {
    async save(artifacts: io.ModelArtifacts): Promise<io.SaveResult> {
      await mkdir(folder, { recursive: true });
      const weights = artifacts.weightData ? toBuffer(artifacts.weightData) : Buffer.alloc(0);
      const json: ModelJson = {
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs ?? [] }],
      };
      // Write then rename, so a crash mid-save never leaves a half model.
      await writeFile(join(folder, `${WEIGHTS_BIN}.tmp`), weights);
      await writeFile(join(folder, `${MODEL_JSON}.tmp`), JSON.stringify(json));
      await rename(join(folder, `${WEIGHTS_BIN}.tmp`), join(folder, WEIGHTS_BIN));
      await rename(join(folder, `${MODEL_JSON}.tmp`), join(folder, MODEL_JSON));
      return {
        modelArtifactsInfo: {
          dateSaved: new Date(),
          modelTopologyType: 'JSON',
          weightDataBytes: weights.byteLength,
        },
      };
    },
    async load(): Promise<io.ModelArtifacts> {
      const json = JSON.parse(await readFile(join(folder, MODEL_JSON), 'utf8')) as ModelJson;
      const buffer = await readFile(join(folder, json.weightsManifest[0]?.paths[0] ?? WEIGHTS_BIN));
      return {
        modelTopology: json.modelTopology as io.ModelArtifacts['modelTopology'],
        format: json.format,
        generatedBy: json.generatedBy,
        weightSpecs: json.weightsManifest.flatMap((group) => group.weights),
        weightData: buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength),
      };
    },
  };
}
