// What every manager-signed message (commands, policies) needs before it is trusted: the
// signature checked without throwing, and the signed bytes decoded without throwing.
import { verify, type KeyObject } from 'node:crypto';

/** Ed25519 over `data`; false, never an exception, for a malformed key or signature. */
export function safeVerify(data: Uint8Array, key: KeyObject, signature: Uint8Array): boolean {
  try {
    return verify(null, data, key, signature);
  } catch {
    return false;
  }
}

/** The protobuf message in `bytes`, or null when they do not decode. */
export function decodeOrNull<T>(codec: { decode(bytes: Uint8Array): T }, bytes: Uint8Array): T | null {
  try {
    return codec.decode(bytes);
  } catch {
    return null;
  }
}
