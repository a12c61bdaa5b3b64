// A real store in a temp folder (real files, real crypto) and a protected folder
// beside it, for the tests and the bench.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createJsonLogger } from '../../logging/logger';
import { NodeProtectedFiles } from './protected-files';
import { VERSION_KEY_FILE, VersionCipher } from './version-cipher';
import { DiskVersionFiles } from './version-files';
import { VersionStore } from './version-store';

export interface StoreKit {
  root: string;
  dataDir: string;
  folder: string;
  files: NodeProtectedFiles;
  open(options?: { budgetBytes?: number; now?: () => number }): Promise<VersionStore>;
}

export function storeKit(prefix = 'ww-versions-'): StoreKit {
  const root = mkdtempSync(join(tmpdir(), prefix));
  const dataDir = join(root, 'data');
  const folder = join(root, 'phi');
  mkdirSync(dataDir, { mode: 0o700 });
  mkdirSync(folder);
  return {
    root,
    dataDir,
    folder,
    files: new NodeProtectedFiles(),
    open: (options = {}) =>
      VersionStore.open({
        files: new DiskVersionFiles(join(dataDir, 'versions')),
        cipher: VersionCipher.fromKeyFile(join(dataDir, VERSION_KEY_FILE)),
        budgetBytes: options.budgetBytes ?? 64 * 1_048_576,
        maxFileBytes: 16 * 1_048_576,
        now: options.now,
        logger: quietLogger(),
      }),
  };
}

export function quietLogger() {
  return createJsonLogger({ level: 'error', write: () => undefined });
}
