// The PKI's files in the data folder. Private keys and the pseudonym key are
// written with mode 0600 (owner only); certificates are public.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const PKI_FILES = {
  caCert: 'ca.cert.pem',
  caKey: 'ca.key.pem',
  serverCert: 'server.cert.pem',
  serverKey: 'server.key.pem',
  pseudonymKey: 'pseudonym.key',
} as const;

export type PkiFile = keyof typeof PKI_FILES;
const secret = new Set<PkiFile>(['caKey', 'serverKey', 'pseudonymKey']);

export class PkiStore {
  readonly dir: string;

  constructor(dataDir: string) {
    this.dir = join(dataDir, 'pki');
  }

  path(file: PkiFile): string {
    return join(this.dir, PKI_FILES[file]);
  }

  exists(file: PkiFile): boolean {
    return existsSync(this.path(file));
  }

  read(file: PkiFile): Buffer {
    return readFileSync(this.path(file));
  }

  /** Owner-only modes on what already exists: an install made before the modes were set, or edited since. */
  tighten(): void {
    if (!existsSync(this.dir)) return;
    chmodSync(this.dir, 0o700);
    for (const file of secret) if (this.exists(file)) chmodSync(this.path(file), 0o600);
  }

  write(file: PkiFile, content: string | Buffer): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const mode = secret.has(file) ? 0o600 : 0o644;
    writeFileSync(this.path(file), content, { mode });
    chmodSync(this.path(file), mode); // writeFileSync keeps the mode of a file that already existed
  }
}
