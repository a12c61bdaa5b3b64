// RFC 9380 §5.3.1 expand_message_xmd with SHA-512, the hash RFC 9497's ristretto255-SHA512
// suite uses to map an input to a group element or a scalar. On node:crypto's native
// SHA-512: the group library then only sees 64 uniform bytes.
import { createHash } from 'node:crypto';

/** SHA-512: b_in_bytes and r_in_bytes (its output and block sizes). */
const HASH_BYTES = 64;
const BLOCK_BYTES = 128;
const ZERO_BLOCK = new Uint8Array(BLOCK_BYTES);

const sha512 = (...parts: Uint8Array[]) => {
  const hash = createHash('sha512');
  for (const part of parts) hash.update(part);
  return hash.digest();
};

/** `length` uniform bytes from `message` under domain separation tag `dst`. */
export function expandMessageXmd(message: Uint8Array, dst: Uint8Array, length: number): Uint8Array {
  const blocks = Math.ceil(length / HASH_BYTES);
  // The RFC's bounds: ell ≤ 255, len_in_bytes < 2^16, DST ≤ 255 bytes.
  if (!Number.isInteger(length) || length <= 0 || blocks > 255)
    throw new RangeError(`cannot expand to ${length} bytes`);
  if (dst.length > 255) throw new RangeError('the domain separation tag is longer than 255 bytes');
  const dstPrime = Buffer.concat([dst, Uint8Array.of(dst.length)]);
  const b0 = sha512(ZERO_BLOCK, message, Uint8Array.of(length >> 8, length & 0xff, 0), dstPrime);
  const out: Buffer[] = [sha512(b0, Uint8Array.of(1), dstPrime)];
  for (let i = 2; i <= blocks; i++) {
    const previous = out[out.length - 1];
    const mixed = Buffer.alloc(HASH_BYTES);
    for (let j = 0; j < HASH_BYTES; j++) mixed[j] = b0[j] ^ previous[j];
    out.push(sha512(mixed, Uint8Array.of(i), dstPrime));
  }
  return Buffer.concat(out).subarray(0, length);
}
