// Which patient-data file a new file copies. The file collector sees creates and
// writes, not reads: a chart copied to a USB drive or into a synced folder would
// otherwise be only a new file there. A new file outside the patient-data folders
// is a copy when a patient-data file of the same name, or (a copy saved under
// another name) any patient-data file, has the same size and begins with the same
// bytes. A copy whose bytes differ (re-encoded, cut) is missed (reported as a
// create), never a false copy; charts packed in a zip or tar are found by
// archive-lineage.ts.
import { closeSync, fstatSync, readSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { openForSample, readSample } from './entropy';

/** Bytes compared from the start of both files. */
export const COPY_COMPARE_BYTES = 65_536;
/** Patient-data files looked at, at most, for one new file. */
export const MAX_COPY_CANDIDATES = 8;
/**
 * Smallest new file matched by size alone: below it, two unrelated files (a stub, a one-line
 * note) may well be byte for byte the same; above, the same bytes under another name are a copy.
 */
export const MIN_RENAMED_COPY_BYTES = 512;

const mine = Buffer.allocUnsafe(COPY_COMPARE_BYTES);
const theirs = Buffer.allocUnsafe(COPY_COMPARE_BYTES);

/**
 * The first candidate with the new file's size whose first bytes are the new file's, or undefined.
 * Synchronous (local disks only); reads leave the source's access time alone where the OS allows.
 */
export function copiedFrom(path: string, size: number, candidates: readonly string[]): string | undefined {
  if (size <= 0) return undefined;
  const length = Math.min(size, COPY_COMPARE_BYTES);
  const read = readStart(path, mine, length);
  if (read !== length) return undefined;
  for (const candidate of candidates.slice(0, MAX_COPY_CANDIDATES)) {
    if (readStart(candidate, theirs, length, size) === length && mine.compare(theirs, 0, length, 0, length) === 0)
      return candidate;
  }
  return undefined;
}

/** The same where a file lies on a network share: every call asynchronous, so a slow server stalls nothing. */
export async function copiedFromAsync(
  path: string,
  size: number,
  candidates: readonly string[],
): Promise<string | undefined> {
  if (size <= 0) return undefined;
  const length = Math.min(size, COPY_COMPARE_BYTES);
  const start = await readSample(path, 0, length);
  if (start?.length !== length) return undefined;
  return sourceStartingWith(start, size, candidates);
}

/**
 * The first candidate of `size` bytes that begins with `start` (a new file's first
 * min(size, COPY_COMPARE_BYTES) bytes, wherever they were read: a file, an archive's entry).
 */
export async function sourceStartingWith(
  start: Buffer,
  size: number,
  candidates: readonly string[],
): Promise<string | undefined> {
  if (size <= 0 || start.length !== Math.min(size, COPY_COMPARE_BYTES)) return undefined;
  for (const candidate of candidates.slice(0, MAX_COPY_CANDIDATES)) {
    if (!(await hasSize(candidate, size))) continue;
    const theirs = await readSample(candidate, 0, start.length);
    if (theirs?.length === start.length && start.equals(theirs)) return candidate;
  }
  return undefined;
}

/** Whether the file is there with `size` bytes. */
export function hasSize(path: string, size: number): Promise<boolean> {
  return stat(path).then(
    (s) => s.size === size,
    () => false,
  );
}

/** Bytes read from the start into `into` (synchronously); -1 when unreadable or (with `size`) of another size. */
export function readStart(path: string, into: Buffer, length: number, size?: number): number {
  let fd = -1;
  try {
    fd = openForSample(path);
    if (size !== undefined && fstatSync(fd).size !== size) return -1;
    return readSync(fd, into, 0, length, 0);
  } catch {
    return -1;
  } finally {
    if (fd >= 0) closeSync(fd);
  }
}
