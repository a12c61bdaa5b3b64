// Shannon entropy in bits per byte (0 = one repeated byte, 8 = uniformly random).
// Encrypted or compressed content sits near 8: a burst of high-entropy rewrites
// in a patient-data folder is the classic ransomware signal.
import { closeSync, constants, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';

export const ENTROPY_SAMPLE_BYTES = 4_096;

const counts = new Uint32Array(256);

/** Entropy of the first `length` bytes (default: all). */
export function shannonEntropy(bytes: Uint8Array, length = bytes.length): number {
  if (length === 0) return 0;
  counts.fill(0);
  for (let i = 0; i < length; i++) counts[bytes[i]] += 1;
  let bits = 0;
  for (let b = 0; b < 256; b++) {
    const count = counts[b];
    if (count === 0) continue;
    const p = count / length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/** Entropy rounded to 3 decimals, as events carry it; -1 when there is nothing to sample. */
export function roundedEntropy(bytes: Uint8Array, length = bytes.length): number {
  return length > 0 ? Math.round(shannonEntropy(bytes, length) * 1_000) / 1_000 : -1;
}

/** Reads up to `length` bytes from `offset`; null when the file is gone or unreadable. */
export async function readSample(path: string, offset: number, length = ENTROPY_SAMPLE_BYTES): Promise<Buffer | null> {
  let handle;
  try {
    handle = await open(path, 'r');
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, offset);
    return buffer.subarray(0, bytesRead);
  } catch {
    return null;
  } finally {
    await handle?.close();
  }
}

// One buffer for every synchronous sample: nothing can interleave with a synchronous read.
const syncSample = Buffer.allocUnsafe(ENTROPY_SAMPLE_BYTES);

// O_NOATIME (Linux): reading a sample leaves the file's access time alone, so the
// access times stay those of the people who used the file — evidence an incident
// responder may need. (It made no measurable CPU difference here.) Allowed for
// the file's owner or a privileged agent; elsewhere the open fails with EPERM and
// plain reads are used from then on.
let noAtime = constants.O_NOATIME ?? 0;

function openForSample(path: string): number {
  if (noAtime !== 0) {
    try {
      return openSync(path, constants.O_RDONLY | noAtime);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EPERM') throw error;
      noAtime = 0;
    }
  }
  return openSync(path, 'r');
}

/**
 * As readSample + roundedEntropy, with synchronous calls and no allocation: for
 * files on a local disk only (local-disk.ts). -1 when unreadable or empty.
 */
export function sampleEntropySync(path: string, offset: number): number {
  let fd = -1;
  try {
    fd = openForSample(path);
    return roundedEntropy(syncSample, readSync(fd, syncSample, 0, ENTROPY_SAMPLE_BYTES, offset));
  } catch {
    return -1;
  } finally {
    if (fd >= 0) closeSync(fd);
  }
}
