// The body of a sealed file: the content cut into chunks of `chunkBytes` (the last one
// shorter, possibly empty), each AES-256-GCM under the file's data key and followed by
// its 16-byte tag. Invariants, held by the tests:
// - Each chunk's nonce is its index and a final flag (index ‖ 0 ‖ flag): a chunk moved to
//   another place, or a non-final chunk presented as the last (truncation at a chunk
//   boundary), fails authentication; bytes after the final chunk are refused.
// - Every chunk's associated data is the digest of the content header, so the header
//   cannot be changed or swapped with another file's.
// - The data key is random per file, so counter nonces never repeat under one key.
// - Memory is bounded by about two chunks whatever the file size.
import { createCipheriv, createDecipheriv, type KeyObject } from 'node:crypto';
import { SealError } from './seal-error';

export const TAG_BYTES = 16;
const MAX_CHUNKS = 2 ** 32;

export async function* sealChunks(
  source: AsyncIterable<Buffer>,
  dataKey: KeyObject,
  digest: Buffer,
  chunkBytes: number,
): AsyncGenerator<Buffer> {
  const pending = new ByteQueue();
  let index = 0;
  for await (const piece of source) {
    pending.push(piece);
    // Strictly more than a chunk: the last chunk is only known at the end, and may be full.
    while (pending.length > chunkBytes) yield* sealOne(pending.takePieces(chunkBytes), index++, false);
  }
  yield* sealOne(pending.takePieces(pending.length), index, true);

  function* sealOne(plain: Buffer[], at: number, last: boolean): Generator<Buffer> {
    if (at >= MAX_CHUNKS) throw new SealError('bad_input', 'the file is too large to seal');
    const cipher = createCipheriv('aes-256-gcm', dataKey, nonce(at, last));
    cipher.setAAD(digest);
    for (const piece of plain) yield cipher.update(piece);
    cipher.final();
    yield cipher.getAuthTag();
  }
}

/** Yields the content chunk by chunk; throws SealError('damaged') at the first chunk that does not authenticate. */
export async function* openChunks(
  source: AsyncIterable<Buffer>,
  dataKey: KeyObject,
  digest: Buffer,
  chunkBytes: number,
): AsyncGenerator<Buffer> {
  const sealedChunk = chunkBytes + TAG_BYTES;
  const pending = new ByteQueue();
  let index = 0;
  for await (const piece of source) {
    pending.push(piece);
    while (pending.length > sealedChunk)
      yield* openOne(pending.takePieces(chunkBytes), pending.take(TAG_BYTES), index++, false);
  }
  if (pending.length < TAG_BYTES)
    throw new SealError('damaged', `the sealed file is cut short (chunk ${index} is incomplete)`);
  yield* openOne(pending.takePieces(pending.length - TAG_BYTES), pending.take(TAG_BYTES), index, true);

  // The clear pieces are yielded before the tag is checked: callers write them to a
  // temporary file that is renamed into place only when every chunk authenticated.
  function* openOne(body: Buffer[], tag: Buffer, at: number, last: boolean): Generator<Buffer> {
    const decipher = createDecipheriv('aes-256-gcm', dataKey, nonce(at, last));
    decipher.setAAD(digest);
    decipher.setAuthTag(tag);
    for (const piece of body) yield decipher.update(piece);
    try {
      decipher.final();
    } catch {
      throw new SealError(
        'damaged',
        `the sealed file was altered, reordered or cut short (chunk ${at}${last ? ', the last one' : ''} does not authenticate)`,
      );
    }
  }
}

function nonce(index: number, last: boolean): Buffer {
  const bytes = Buffer.alloc(12);
  bytes.writeUInt32BE(Math.floor(index / 2 ** 32), 0);
  bytes.writeUInt32BE(index % 2 ** 32, 4);
  bytes[11] = last ? 1 : 0;
  return bytes;
}

/** A FIFO of buffers that hands out exact byte counts, copying only when a take spans pieces. */
class ByteQueue {
  private readonly pieces: Buffer[] = [];
  length = 0;

  push(piece: Buffer): void {
    if (piece.length === 0) return;
    this.pieces.push(piece);
    this.length += piece.length;
  }

  /** `count` bytes as the pieces that hold them (no copy). */
  takePieces(count: number): Buffer[] {
    const out: Buffer[] = [];
    let left = count;
    while (left > 0) {
      const piece = this.pieces[0];
      if (piece.length <= left) {
        out.push(piece);
        this.pieces.shift();
        left -= piece.length;
      } else {
        out.push(piece.subarray(0, left));
        this.pieces[0] = piece.subarray(left);
        left = 0;
      }
    }
    this.length -= count;
    return out;
  }

  take(count: number): Buffer {
    this.length -= count;
    const first = this.pieces[0];
    if (first && first.length >= count) {
      if (first.length === count) this.pieces.shift();
      else this.pieces[0] = first.subarray(count);
      return first.subarray(0, count);
    }
    const out = Buffer.allocUnsafe(count);
    let filled = 0;
    while (filled < count) {
      const piece = this.pieces[0];
      const used = Math.min(piece.length, count - filled);
      piece.copy(out, filled, 0, used);
      filled += used;
      if (used === piece.length) this.pieces.shift();
      else this.pieces[0] = piece.subarray(used);
    }
    return out;
  }
}
