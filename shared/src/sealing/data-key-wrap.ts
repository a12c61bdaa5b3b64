// How a file's data key is wrapped to a workstation's key-encryption key (KEK), one
// definition for both sides: the agent wraps (it holds only the KEK's public half, so
// sealing works offline) and the manager unwraps (it holds the private half, so every
// open goes through it and a revoked KEK opens nothing).
//
// ECIES: an ephemeral X25519 key agrees a secret with the KEK's public key; HKDF-SHA-256
// (salt: both public keys) turns it into an AES-256-GCM key that encrypts the 32-byte
// data key. The associated data binds the wrap to its KEK (id and version) and to the
// digest of the file's content header, so a wrapped key cannot be moved to another file
// or relabelled with another version. Layout: ephemeral public (32) ‖ iv (12) ‖ tag (16) ‖
// encrypted key (32) = 92 bytes.
import {
  createCipheriv,
  createDecipheriv,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  randomBytes,
  type KeyObject,
} from 'node:crypto';

export const DATA_KEY_BYTES = 32;
export const KEK_PUBLIC_KEY_BYTES = 32;
export const HEADER_DIGEST_BYTES = 32;
export const WRAPPED_KEY_BYTES = 32 + 12 + 16 + DATA_KEY_BYTES;
const INFO = Buffer.from('wardwatch seal data-key wrap v1');

/** Which KEK wraps, and the file it belongs to. */
export interface WrapContext {
  keyId: string;
  kekVersion: number;
  /** SHA-256 of the sealed file's content header. */
  headerDigest: Uint8Array;
}

export class DataKeyWrapError extends Error {}

/** A fresh X25519 key pair: raw 32-byte public key and the private key as PKCS#8 DER. */
export function generateKek(): { publicKey: Buffer; privateKeyDer: Buffer } {
  const pair = generateKeyPairSync('x25519');
  return {
    publicKey: rawPublic(pair.publicKey),
    privateKeyDer: pair.privateKey.export({ type: 'pkcs8', format: 'der' }),
  };
}

export function wrapDataKey(kekPublicKey: Uint8Array, dataKey: Uint8Array, context: WrapContext): Buffer {
  if (dataKey.length !== DATA_KEY_BYTES) throw new DataKeyWrapError('a data key is 32 bytes');
  const recipient = publicFromRaw(kekPublicKey);
  const ephemeral = generateKeyPairSync('x25519');
  const ephemeralPublic = rawPublic(ephemeral.publicKey);
  const key = wrappingKey(
    diffieHellman({ privateKey: ephemeral.privateKey, publicKey: recipient }),
    ephemeralPublic,
    kekPublicKey,
  );
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(associatedData(context));
  const body = Buffer.concat([cipher.update(dataKey), cipher.final()]);
  return Buffer.concat([ephemeralPublic, iv, cipher.getAuthTag(), body]);
}

/** Throws DataKeyWrapError when the private key, the context or the bytes are not the ones wrapped. */
export function unwrapDataKey(kekPrivateKeyDer: Uint8Array, wrapped: Uint8Array, context: WrapContext): Buffer {
  if (wrapped.length !== WRAPPED_KEY_BYTES)
    throw new DataKeyWrapError(`a wrapped data key is ${WRAPPED_KEY_BYTES} bytes`);
  const bytes = Buffer.from(wrapped);
  const privateKey = createPrivateKey({ key: Buffer.from(kekPrivateKeyDer), format: 'der', type: 'pkcs8' });
  const ephemeralPublic = bytes.subarray(0, 32);
  let secret: Buffer;
  try {
    secret = diffieHellman({ privateKey, publicKey: publicFromRaw(ephemeralPublic) });
  } catch {
    throw new DataKeyWrapError('the wrapped data key is damaged');
  }
  const key = wrappingKey(secret, ephemeralPublic, rawPublic(createPublicKey(privateKey)));
  const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(32, 44));
  decipher.setAAD(associatedData(context));
  decipher.setAuthTag(bytes.subarray(44, 60));
  try {
    return Buffer.concat([decipher.update(bytes.subarray(60)), decipher.final()]);
  } catch {
    throw new DataKeyWrapError('the data key does not open with this key: wrong key, or the header was altered');
  } finally {
    key.fill(0);
  }
}

function wrappingKey(secret: Buffer, ephemeralPublic: Uint8Array, recipientPublic: Uint8Array): Buffer {
  const key = Buffer.from(hkdfSync('sha256', secret, Buffer.concat([ephemeralPublic, recipientPublic]), INFO, 32));
  secret.fill(0);
  return key;
}

function associatedData(context: WrapContext): Buffer {
  if (context.headerDigest.length !== HEADER_DIGEST_BYTES) throw new DataKeyWrapError('a header digest is 32 bytes');
  const version = Buffer.alloc(4);
  version.writeUInt32BE(context.kekVersion);
  return Buffer.concat([Buffer.from(`${context.keyId}\n`), version, context.headerDigest]);
}

function rawPublic(key: KeyObject): Buffer {
  const x = key.export({ format: 'jwk' }).x;
  if (!x) throw new DataKeyWrapError('not an X25519 key');
  return Buffer.from(x, 'base64url');
}

function publicFromRaw(raw: Uint8Array): KeyObject {
  if (raw.length !== KEK_PUBLIC_KEY_BYTES) throw new DataKeyWrapError('an X25519 public key is 32 bytes');
  return createPublicKey({
    key: { kty: 'OKP', crv: 'X25519', x: Buffer.from(raw).toString('base64url') },
    format: 'jwk',
  });
}
