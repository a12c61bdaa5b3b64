// Seals the command keys' private halves at rest: AES-256-GCM under a 32-byte key
// derived (HKDF-SHA-256) from WARDWATCH_COMMAND_KEY_SECRET when it is set, else from a
// random secret in the data folder (command-key.secret, mode 0600, made at first use).
// In production set the variable (from a secret store): then a copy of the database, or
// of the data folder, does not open the key that every agent obeys. All manager replicas
// must share the same secret, since they share the keys through the database.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const SECRET_FILE = 'command-key.secret';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class CommandKeySealer {
  /** `key` is the 32-byte AES key (see sealerFromConfig). */
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('the sealing key must be 32 bytes');
  }

  /** iv ‖ tag ‖ ciphertext; the key id is bound in as associated data, so rows cannot be swapped. */
  seal(plain: Buffer, keyId: string): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(keyId));
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]);
  }

  /** Throws when the secret is not the one that sealed it, or the row was altered. */
  open(sealed: Buffer, keyId: string): Buffer {
    if (sealed.length <= IV_BYTES + TAG_BYTES) throw new Error('sealed command key too short');
    const decipher = createDecipheriv('aes-256-gcm', this.key, sealed.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(keyId));
    decipher.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
  }
}

export function deriveSealingKey(secret: string | Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'wardwatch-command-key', 'aes-256-gcm v1', 32));
}

/** The secret from the environment, else the data folder's secret file (made 0600 when missing). */
export function sealerFrom(secret: string | undefined, dataDir: string): CommandKeySealer {
  if (secret !== undefined) return new CommandKeySealer(deriveSealingKey(secret));
  const file = join(dataDir, SECRET_FILE);
  let stored: string;
  try {
    stored = readFileSync(file, 'utf8').trim();
  } catch {
    const made = randomBytes(32).toString('base64');
    try {
      writeFileSync(file, `${made}\n`, { mode: 0o600, flag: 'wx' });
      stored = made;
    } catch {
      // Another process made it between our read and write: use theirs.
      stored = readFileSync(file, 'utf8').trim();
    }
  }
  chmodSync(file, 0o600);
  return new CommandKeySealer(deriveSealingKey(Buffer.from(stored, 'base64')));
}
