// The fleet model on disk: <dataDir>/scoring/fleet-model/, written from the
// manager's FleetModel message. Only the files of a saved risk model are
// accepted (no other names, no folders of the sender's choosing), the feature
// set must match, and the folder is replaced in one rename, so a half-written
// model is never loaded.
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { FleetModel } from '@wardwatch/proto';
import { FEATURE_SET_VERSION } from '@wardwatch/shared/agent';

export const FLEET_MODEL_FILES = ['scoring-state.json', 'autoencoder/model.json', 'autoencoder/weights.bin'] as const;
const VERSION_FILE = 'VERSION';
const MAX_BYTES = 16 * 1024 * 1024;

export class FleetModelRejected extends Error {}

export class FleetModelStore {
  private current: string;

  constructor(private readonly scoringFolder: string) {
    this.current = this.readVersion();
  }

  get folder(): string {
    return join(this.scoringFolder, 'fleet-model');
  }

  version(): string {
    return this.current;
  }

  /** Checks and writes the model; throws FleetModelRejected with the reason when it is unusable. */
  async save(model: FleetModel): Promise<void> {
    if (model.featureSetVersion !== FEATURE_SET_VERSION) {
      throw new FleetModelRejected(
        `feature set v${model.featureSetVersion}, this agent computes v${FEATURE_SET_VERSION}`,
      );
    }
    if (!/^[\w.:-]{1,128}$/.test(model.version)) throw new FleetModelRejected('missing or malformed version');
    const allowed = new Set<string>(FLEET_MODEL_FILES);
    let total = 0;
    for (const file of model.files) {
      if (!allowed.has(file.name))
        throw new FleetModelRejected(`unexpected file name ${JSON.stringify(file.name.slice(0, 80))}`);
      total += file.content.length;
    }
    if (total > MAX_BYTES) throw new FleetModelRejected(`too large (${total} bytes)`);
    if (!model.files.some((f) => f.name === 'scoring-state.json'))
      throw new FleetModelRejected('scoring-state.json is missing');

    const staging = `${this.folder}.incoming`;
    await rm(staging, { recursive: true, force: true });
    for (const file of model.files) {
      const target = join(staging, file.name);
      await mkdir(dirname(target), { recursive: true, mode: 0o700 });
      await writeFile(target, file.content, { mode: 0o600 });
    }
    await writeFile(join(staging, VERSION_FILE), model.version, { mode: 0o600 });
    await rm(this.folder, { recursive: true, force: true });
    await rename(staging, this.folder);
    this.current = model.version;
  }

  /** Removes a model that turned out not to load. */
  async discard(): Promise<void> {
    await rm(this.folder, { recursive: true, force: true });
    this.current = '';
  }

  private readVersion(): string {
    const file = join(this.folder, VERSION_FILE);
    return existsSync(file) ? readFileSync(file, 'utf8').trim() : '';
  }
}
