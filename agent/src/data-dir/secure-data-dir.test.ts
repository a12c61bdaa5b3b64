// On a real temporary folder: an install left with an older version's modes (0755
// folders, 0644 files) is made owner-only; what is not the agent's is left alone.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { secureDataDir } from './secure-data-dir';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'ww-datadir-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const mode = (path: string) => statSync(path).mode & 0o777;

function put(path: string, fileMode: number): void {
  writeFileSync(path, 'x');
  chmodSync(path, fileMode);
}

describe('secureDataDir', () => {
  it('creates a missing data folder 0700', () => {
    const dataDir = join(root, 'new', 'data');
    expect(secureDataDir(dataDir).paths).toEqual([]);
    expect(mode(dataDir)).toBe(0o700);
  });

  it("tightens an existing install's folder, files and scoring tree, and says which", () => {
    const dataDir = join(root, 'data');
    mkdirSync(join(dataDir, 'scoring', 'model'), { recursive: true });
    chmodSync(dataDir, 0o755);
    chmodSync(join(dataDir, 'scoring'), 0o755);
    chmodSync(join(dataDir, 'scoring', 'model'), 0o775);
    put(join(dataDir, 'identity.json'), 0o644);
    put(join(dataDir, 'agent-cert.pem'), 0o644);
    put(join(dataDir, 'agent-key.pem'), 0o600);
    put(join(dataDir, 'local-api.json'), 0o644);
    put(join(dataDir, 'scoring', 'history.ndjson'), 0o644);
    put(join(dataDir, 'scoring', 'unsent-scores.ndjson'), 0o666);
    put(join(dataDir, 'scoring', 'model', 'weights.bin'), 0o644);

    const { paths } = secureDataDir(dataDir);

    expect(paths.sort()).toEqual(
      [
        '.',
        'identity.json',
        'agent-cert.pem',
        'local-api.json',
        'scoring',
        join('scoring', 'history.ndjson'),
        join('scoring', 'unsent-scores.ndjson'),
        join('scoring', 'model'),
        join('scoring', 'model', 'weights.bin'),
      ].sort(),
    );
    for (const folder of [dataDir, join(dataDir, 'scoring'), join(dataDir, 'scoring', 'model')])
      expect(mode(folder)).toBe(0o700);
    for (const file of [
      'identity.json',
      'agent-cert.pem',
      'agent-key.pem',
      'local-api.json',
      join('scoring', 'history.ndjson'),
      join('scoring', 'unsent-scores.ndjson'),
      join('scoring', 'model', 'weights.bin'),
    ])
      expect(mode(join(dataDir, file))).toBe(0o600);
    expect(secureDataDir(dataDir).paths).toEqual([]);
  });

  it('leaves files that are not the agent’s alone and does not follow symbolic links', () => {
    const dataDir = join(root, 'data');
    const outside = join(root, 'outside.txt');
    mkdirSync(dataDir);
    put(join(dataDir, 'notes.txt'), 0o644);
    put(outside, 0o644);
    symlinkSync(outside, join(dataDir, 'identity.json'));
    secureDataDir(dataDir);
    expect(mode(join(dataDir, 'notes.txt'))).toBe(0o644);
    expect(mode(outside)).toBe(0o644);
  });
});
