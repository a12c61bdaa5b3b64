// Shannon entropy in bits per byte (0 = one repeated byte, 8 = uniformly random).
// Encrypted or compressed content sits near 8: a burst of high-entropy rewrites
// in a patient-data folder is the classic ransomware signal.
import { closeSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';

export const ENTROPY_SAMPLE_BYTES = 4_096;

export function shannonEntropy(bytes: Uint8Array): number {
  if (bytes.length === 0) return 0;
  const counts = new Uint32Array(256);
  for (const byte of bytes) counts[byte] += 1;
  let bits = 0;
  for (const count of counts) {
    if (count === 0) continue;
    const p = count / bytes.length;
    bits -= p * Math.log2(p);
  }
  return bits;
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

/** As readSample, with synchronous calls: for files on a local disk only (local-disk.ts). */
export function readSampleSync(path: string, offset: number, length = ENTROPY_SAMPLE_BYTES): Buffer | null {
  let fd = -1;
  try {
    fd = openSync(path, 'r');
    const buffer = Buffer.allocUnsafe(length);
    return buffer.subarray(0, readSync(fd, buffer, 0, length, offset));
  } catch {
    return null;
  } finally {
    if (fd >= 0) closeSync(fd);
  }
}
