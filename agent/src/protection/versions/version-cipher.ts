// The store's crypto: content ids and sealing. One 32-byte key in a 0600 file in
// the agent's data folder; two keys derived from it, one per use. A content id is
// HMAC-SHA-256 of the plain bytes (a plain SHA-256 as a file name would let anyone
// who can list the folder confirm a known document); a blob or the index is
// AES-256-GCM with a random nonce, its id or kind authenticated with it, so a
// blob moved under another name or altered does not open.
import { createHmac } from 'node:crypto';
import { loadOrCreateKey, RecordSealer } from '../../outbox/record-sealer';

export const VERSION_KEY_FILE = 'versions.key';

export class VersionCipher {
  private readonly sealer: RecordSealer;
  private readonly idKey: Buffer;

  constructor(key: Buffer) {
    this.sealer = new RecordSealer(derive(key, 'seal'));
    this.idKey = derive(key, 'content-id');
  }

  /** Reads the key file, or makes it (0600) when there is none. */
  static fromKeyFile(path: string): VersionCipher {
    return new VersionCipher(loadOrCreateKey(path));
  }

  contentId(plain: Uint8Array): string {
    return createHmac('sha256', this.idKey).update(plain).digest('hex');
  }

  seal(plain: Uint8Array, label: string): Buffer {
    return this.sealer.seal(plain, aad(label));
  }

  /** The plain bytes, or null when the sealed bytes or their label were altered. */
  open(sealed: Buffer, label: string): Buffer | null {
    return this.sealer.open(sealed, aad(label));
  }
}

function derive(key: Buffer, use: string): Buffer {
  return createHmac('sha256', key).update(`wardwatch-versions-v1/${use}`).digest();
}

function aad(label: string): Buffer {
  return Buffer.from(`versions/${label}`);
}
