// The fleet model the manager hands to agents for their cold start: the files of
// a saved risk model in <dataDir>/fleet-model/ (made by scripts/fleet-model/).
// Read when an agent says hello and cached until the files change; its version
// is a hash of the content, so an agent that has it already is not sent it again.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import type { FleetModel } from '@wardwatch/proto';
import { MANAGER_CONFIG, type ManagerConfig } from '../config/config.schema';

/** The files of a saved model, as the agent accepts them. */
export const FLEET_MODEL_FILES = ['scoring-state.json', 'autoencoder/model.json', 'autoencoder/weights.bin'] as const;

export class FleetModelFiles {
  private cached: { stamp: string; model: FleetModel | null } | null = null;

  constructor(readonly folder: string) {}

  /** The model to send, or null when the folder holds none (or an unreadable one). */
  current(): FleetModel | null {
    const state = join(this.folder, FLEET_MODEL_FILES[0]);
    if (!existsSync(state)) return null;
    const stamp = FLEET_MODEL_FILES.map((name) => {
      const file = join(this.folder, name);
      return existsSync(file) ? `${statSync(file).mtimeMs}:${statSync(file).size}` : '-';
    }).join('|');
    if (this.cached?.stamp !== stamp) this.cached = { stamp, model: this.read() };
    return this.cached.model;
  }

  private read(): FleetModel | null {
    const files = FLEET_MODEL_FILES.filter((name) => existsSync(join(this.folder, name))).map((name) => ({
      name,
      content: readFileSync(join(this.folder, name)),
    }));
    const parsed = JSON.parse(files[0].content.toString('utf8')) as { featureSetVersion?: unknown };
    if (typeof parsed.featureSetVersion !== 'number')
      throw new Error(`${join(this.folder, FLEET_MODEL_FILES[0])} has no featureSetVersion`);
    const hash = createHash('sha256');
    for (const file of files) hash.update(file.name).update('\0').update(file.content).update('\0');
    return { version: `sha256:${hash.digest('hex').slice(0, 32)}`, featureSetVersion: parsed.featureSetVersion, files };
  }
}

@Injectable()
export class FleetModelStore extends FleetModelFiles {
  constructor(@Inject(MANAGER_CONFIG) config: ManagerConfig) {
    super(join(config.dataDir, 'fleet-model'));
  }
}
