import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FleetModelFiles } from './fleet-model.store';

describe('the fleet model files', () => {
  it('are absent until made, versioned by content, and re-read when they change', () => {
    const folder = join(mkdtempSync(join(tmpdir(), 'ww-fleet-')), 'fleet-model');
    const files = new FleetModelFiles(folder);
    expect(files.current()).toBeNull();
    mkdirSync(join(folder, 'autoencoder'), { recursive: true });
    writeFileSync(join(folder, 'scoring-state.json'), JSON.stringify({ featureSetVersion: 1, hasModel: true }));
    writeFileSync(join(folder, 'autoencoder', 'model.json'), '{"modelTopology":{}}');
    writeFileSync(join(folder, 'autoencoder', 'weights.bin'), Buffer.from([1, 2, 3]));
    writeFileSync(join(folder, 'notes.txt'), 'not part of the model');
    const first = files.current()!;
    expect(first.featureSetVersion).toBe(1);
    expect(first.files.map((f) => f.name)).toEqual([
      'scoring-state.json',
      'autoencoder/model.json',
      'autoencoder/weights.bin',
    ]);
    expect(new FleetModelFiles(folder).current()!.version).toBe(first.version);
    writeFileSync(join(folder, 'autoencoder', 'weights.bin'), Buffer.from([1, 2, 3, 4]));
    expect(files.current()!.version).not.toBe(first.version);
  });

  it('refuses a state file without a feature-set version', () => {
    const folder = mkdtempSync(join(tmpdir(), 'ww-fleet-'));
    writeFileSync(join(folder, 'scoring-state.json'), '{}');
    expect(() => new FleetModelFiles(folder).current()).toThrow(/featureSetVersion/);
  });
});
