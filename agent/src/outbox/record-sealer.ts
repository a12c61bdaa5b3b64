// AES-256-GCM for the disk outbox: each record sealed on its own with a random
// 96-bit nonce, so a record can be read, dropped or found tampered without its
// neighbours. The key is 32 random bytes in a 0600 file made on first start.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { closeSync, openSync, readFileSync, writeSync, fsyncSync } from 'node:fs';

export const NONCE_BYTES = 12;
export const TAG_BYTES = 16;
const KEY_BYTES = 32;
/** Binds a record to this format: a record of another file kind does not open. */
const AAD = Buffer.from('wardwatch-outbox-v1');

export class RecordSealer {
  constructor(
    private readonly key: Buffer,
    private readonly nonce: (bytes: number) => Buffer = randomBytes,
  ) {
    if (key.length !== KEY_BYTES) throw new RangeError(`outbox key must be ${KEY_BYTES} bytes`);
  }

  /** nonce ‖ ciphertext ‖ tag */
  seal(plain: Buffer): Buffer {
    const nonce = this.nonce(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, nonce);
    cipher.setAAD(AAD);
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    return Buffer.concat([nonce, body, cipher.getAuthTag()]);
  }

  /** The plain bytes, or null when the record was altered (or sealed with another key). */
  open(sealed: Buffer): Buffer | null {
    if (sealed.length < NONCE_BYTES + TAG_BYTES) return null;
    const nonce = sealed.subarray(0, NONCE_BYTES);
    const tag = sealed.subarray(sealed.length - TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', this.key, nonce);
    decipher.setAAD(AAD);
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([
        decipher.update(sealed.subarray(NONCE_BYTES, sealed.length - TAG_BYTES)),
        decipher.final(),
      ]);
    } catch {
      return null;
    }
  }
}

/** Reads the key file, or makes it (0600, fsynced) when there is none. A file of the wrong size is an error. */
export function loadOrCreateKey(path: string): Buffer {
  try {
    const fd = openSync(path, 'wx', 0o600);
    const key = randomBytes(KEY_BYTES);
    try {
      writeSync(fd, key);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    return key;
  } catch (error) {
    if (!isExists(error)) throw error;
  }
  const key = readFileSync(path);
  if (key.length !== KEY_BYTES) throw new Error(`outbox key file ${path} is not ${KEY_BYTES} bytes`);
  return key;
}

function isExists(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'EEXIST';
}
