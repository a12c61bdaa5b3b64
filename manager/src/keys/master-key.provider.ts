// The master key that seals every workstation's KEK private key at rest. Behind this one
// small interface so that a KMS or an HSM can replace the local key: an implementation
// seals and opens short secrets (a 48-byte PKCS#8 X25519 key) bound to a context string,
// and names its key (`keyId`, stored beside each sealed row, so a manager started with
// another master key says so instead of failing on every open). See manager/README.md,
// *Key custody*.
//
// The local provider: 32 bytes from WARDWATCH_MASTER_KEY (base64), else from the file
// WARDWATCH_MASTER_KEY_FILE, else from `master.key` in the data folder, made (0600) at
// first start. AES-256-GCM, the context as associated data (a sealed row cannot be moved
// to another key id or version).
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export abstract class MasterKeyProvider {
  /** Names the master key (never derived so that it reveals it). */
  abstract readonly keyId: string;
  abstract seal(plain: Buffer, context: string): Promise<Buffer>;
  /** Rejects when the master key, the context or the bytes are not the ones sealed. */
  abstract open(sealed: Buffer, context: string): Promise<Buffer>;
}

export const MASTER_KEY_FILE = 'master.key';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class LocalMasterKeyProvider extends MasterKeyProvider {
  readonly keyId: string;

  constructor(private readonly key: Buffer) {
    super();
    if (key.length !== KEY_BYTES) throw new Error('the master key must be 32 bytes');
    this.keyId = `local:${createHash('sha256').update('wardwatch master key id').update(key).digest('hex').slice(0, 16)}`;
  }

  seal(plain: Buffer, context: string): Promise<Buffer> {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(context));
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    return Promise.resolve(Buffer.concat([iv, cipher.getAuthTag(), body]));
  }

  open(sealed: Buffer, context: string): Promise<Buffer> {
    if (sealed.length <= IV_BYTES + TAG_BYTES) return Promise.reject(new Error('sealed key too short'));
    const decipher = createDecipheriv('aes-256-gcm', this.key, sealed.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    try {
      return Promise.resolve(Buffer.concat([decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]));
    } catch {
      return Promise.reject(new Error('the sealed key does not open under this master key'));
    }
  }
}

export interface MasterKeySource {
  /** WARDWATCH_MASTER_KEY: base64 of 32 bytes. */
  key?: string;
  /** WARDWATCH_MASTER_KEY_FILE, else `master.key` in the data folder. */
  file?: string;
  dataDir: string;
}

export function localMasterKeyFrom(source: MasterKeySource): LocalMasterKeyProvider {
  if (source.key !== undefined) return new LocalMasterKeyProvider(decode(source.key, 'WARDWATCH_MASTER_KEY'));
  const file = source.file ?? join(source.dataDir, MASTER_KEY_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    try {
      writeFileSync(file, `${randomBytes(KEY_BYTES).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    } catch {
      // Another process made it between our read and our write: use theirs.
    }
    text = readFileSync(file, 'utf8');
  }
  chmodSync(file, 0o600);
  return new LocalMasterKeyProvider(decode(text.trim(), file));
}

function decode(text: string, where: string): Buffer {
  const key = Buffer.from(text, 'base64');
  // Named by where it came from, never by its value.
  if (key.length !== KEY_BYTES) throw new Error(`${where} must hold 32 bytes in base64`);
  return key;
}
