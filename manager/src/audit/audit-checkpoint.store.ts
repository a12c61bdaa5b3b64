// The checkpoint file: one signed checkpoint per line (NDJSON), appended, mode 0600,
// by default `audit-checkpoints.ndjson` in the data folder
// (WARDWATCH_AUDIT_CHECKPOINT_FILE moves it off the database host's reach).
import { appendFile, chmod, readFile } from 'node:fs/promises';
import type { SignedCheckpoint } from './audit-checkpoint';

export const AUDIT_CHECKPOINT_FILE = 'audit-checkpoints.ndjson';

export class CheckpointFile {
  constructor(readonly path: string) {}

  async append(checkpoint: SignedCheckpoint): Promise<void> {
    await appendFile(this.path, `${JSON.stringify(checkpoint)}\n`, { mode: 0o600 });
    await chmod(this.path, 0o600);
  }

  /** The file's text; empty before the first checkpoint. */
  async read(): Promise<string> {
    try {
      return await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
      throw error;
    }
  }
}
