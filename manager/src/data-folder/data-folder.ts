// The manager's data folder holds its private keys, the pseudonym key and (by
// default) the database with password hashes: owner only. Set at every start, so
// an install made before, or one whose modes were loosened, is tightened too.
import { chmodSync, mkdirSync } from 'node:fs';
import { PkiStore } from '../pki/pki.store';

export const DATA_FOLDER_MODE = 0o700;

/** Creates the data folder if missing and sets owner-only modes on it and on the PKI's secrets. */
export function secureDataFolder(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true, mode: DATA_FOLDER_MODE });
  chmodSync(dataDir, DATA_FOLDER_MODE);
  new PkiStore(dataDir).tighten();
}
