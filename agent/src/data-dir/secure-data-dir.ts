// The agent's data folder holds its private key, the pseudonym key and histories
// with clear patient-file names and user names: readable by the agent's own account
// only. Every writer passes these modes, and at every start `secureDataDir` creates
// the folder 0700 and tightens what an older version (or a copy, or an admin's
// editor) left looser, so an existing install is fixed by its next start.
//
// Only what the agent owns is touched: the data folder itself and the entries named
// below (recursively for folders). A data folder set by mistake to a shared place
// does not get someone else's files chmod-ed. Symbolic links are never followed.
import { chmodSync, lstatSync, mkdirSync, readdirSync, type Stats } from 'node:fs';
import { join } from 'node:path';

export const PRIVATE_FOLDER_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** Everything the agent keeps in its data folder. A new file or folder there goes in this list. */
export const AGENT_DATA_ENTRIES: readonly string[] = [
  'agent.yaml', // where `npm start` writes the config (it may hold the enrollment token)
  'agent-key.pem',
  'agent-cert.pem',
  'ca-cert.pem',
  'pseudonym.key',
  'identity.json',
  'enrollment-pending.json', // key and request of an enrollment not yet finished
  'renewal-pending.json', // a renewed key and certificate while they replace the old pair
  'local-api.token',
  'local-api.json',
  'scoring', // history.ndjson, unsent-scores.ndjson, model/, fleet-model/
  'outbox',
  // response/: pinned command keys, the command journal, guard state, undo records, local actions
  'command-keys.json',
  'commands.journal',
  'response-guard.json',
  'undo-records.json',
  'local-actions.json',
  // protection/versions/: the version store's key and its sealed blobs and index
  'versions.key',
  'versions',
];

export interface TightenedModes {
  /** Paths relative to the data folder whose mode was looser than private. */
  paths: string[];
}

/** Creates `dataDir` (0700) if missing, then makes it and the agent's entries in it private. */
export function secureDataDir(dataDir: string): TightenedModes {
  mkdirSync(dataDir, { recursive: true, mode: PRIVATE_FOLDER_MODE });
  const paths: string[] = [];
  if (tighten(dataDir, lstatSync(dataDir))) paths.push('.');
  for (const name of AGENT_DATA_ENTRIES) walk(dataDir, name, paths);
  return { paths };
}

function walk(dataDir: string, relative: string, paths: string[]): void {
  const path = join(dataDir, relative);
  let stats: Stats;
  try {
    stats = lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if (tighten(path, stats)) paths.push(relative);
  if (stats.isDirectory()) for (const name of readdirSync(path)) walk(dataDir, join(relative, name), paths);
}

/** chmod to private when looser (or otherwise different); true when it changed anything. */
function tighten(path: string, stats: Stats): boolean {
  if (stats.isSymbolicLink()) return false;
  const wanted = stats.isDirectory() ? PRIVATE_FOLDER_MODE : PRIVATE_FILE_MODE;
  if ((stats.mode & 0o777) === wanted) return false;
  chmodSync(path, wanted);
  return true;
}
