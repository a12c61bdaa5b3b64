// The key pair and certificate request of an enrollment that has not finished,
// kept (0600) in the data folder from before the first Enroll call until the
// identity is saved. The token is single-use: a retry after a lost answer, also
// from a restarted agent, must present the same key so the manager can recognise
// the same request and hand back the same certificate, not a new key every time.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { writeAtomic } from '../identity/identity-store';
import type { KeyAndCsr } from './csr';

export const PENDING_KEY_FILE = 'enrollment-pending.json';

const PendingKeyJson = z.object({ privateKeyPem: z.string().min(1), csrPem: z.string().min(1) });

export class PendingKeyStore {
  constructor(private readonly dataDir: string) {}

  get path(): string {
    return join(this.dataDir, PENDING_KEY_FILE);
  }

  /** The key of an earlier attempt, or null; a damaged file counts as none (a new key is made). */
  load(): KeyAndCsr | null {
    if (!existsSync(this.path)) return null;
    try {
      const parsed = PendingKeyJson.safeParse(JSON.parse(readFileSync(this.path, 'utf8')));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }

  save(key: KeyAndCsr): void {
    writeAtomic(this.path, `${JSON.stringify(key)}\n`, 0o600);
  }

  clear(): void {
    rmSync(this.path, { force: true });
  }
}
