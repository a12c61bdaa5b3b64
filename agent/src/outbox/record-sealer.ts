// AES-256-GCM for the disk outbox: each record (the events of one append) sealed
// on its own with a random 96-bit nonce, so a record can be read or found tampered
// without its neighbours. The key is 32 random bytes in a 0600 file made on first start.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { closeSync, openSync, readFileSync, writeSync, fsyncSync } from 'node:fs';

export const NONCE_BYTES = 12;
export const TAG_BYTES = 16;
const KEY_BYTES = 32;
/** Binds a record to this format: a record of another file kind does not open. */
const CONTEXT = Buffer.from('wardwatch-outbox-v1');

/** Bytes a sealed record adds to the plain ones. */
export const SEAL_OVERHEAD = NONCE_BYTES + TAG_BYTES;

export class RecordSealer {
  private aad = Buffer.alloc(0);

  constructor(
    private readonly key: Buffer,
    private readonly nonce: (bytes: number) => Buffer = new RandomPool().take,
  ) {
    if (key.length !== KEY_BYTES) throw new RangeError(`outbox key must be ${KEY_BYTES} bytes`);
  }

  /** nonce ‖ ciphertext ‖ tag; `clear` is authenticated with it but not stored in it. */
  seal(plain: Uint8Array, clear: Buffer): Buffer {
    const sealed = Buffer.allocUnsafe(SEAL_OVERHEAD + plain.length);
    this.sealInto(plain, clear, sealed, 0);
    return sealed;
  }

  /** As seal, written into `out` from `at` (SEAL_OVERHEAD + plain.length bytes), so a record needs no buffer of its own. */
  sealInto(plain: Uint8Array, clear: Buffer, out: Buffer, at: number): void {
    const nonce = this.nonce(NONCE_BYTES);
    nonce.copy(out, at);
    const cipher = createCipheriv('aes-256-gcm', this.key, nonce);
    cipher.setAAD(this.additionalData(clear));
    let end = at + NONCE_BYTES;
    end += cipher.update(plain).copy(out, end);
    end += cipher.final().copy(out, end);
    cipher.getAuthTag().copy(out, end);
  }

  /** CONTEXT ‖ clear in a buffer kept between calls (setAAD consumes it at once). */
  private additionalData(clear: Buffer): Buffer {
    if (this.aad.length !== CONTEXT.length + clear.length) {
      this.aad = Buffer.allocUnsafe(CONTEXT.length + clear.length);
      CONTEXT.copy(this.aad);
    }
    clear.copy(this.aad, CONTEXT.length);
    return this.aad;
  }

  /** The plain bytes, or null when the record or `clear` was altered (or sealed with another key). */
  open(sealed: Buffer, clear: Buffer): Buffer | null {
    if (sealed.length < NONCE_BYTES + TAG_BYTES) return null;
    const nonce = sealed.subarray(0, NONCE_BYTES);
    const tag = sealed.subarray(sealed.length - TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', this.key, nonce);
    decipher.setAAD(Buffer.concat([CONTEXT, clear]));
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

/** Random bytes drawn from a 4 KiB buffer refilled by the CSPRNG (a call per record costs ~7 µs). */
class RandomPool {
  private pool = Buffer.alloc(0);
  private used = 0;

  readonly take = (bytes: number): Buffer => {
    if (this.used + bytes > this.pool.length) {
      this.pool = randomBytes(4_096);
      this.used = 0;
    }
    const taken = this.pool.subarray(this.used, this.used + bytes);
    this.used += bytes;
    return taken;
  };
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
