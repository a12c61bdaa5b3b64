// Which patient files a new archive holds: charts packed onto a stick make a new
// file whose bytes match no patient file (copy-lineage.ts).
//  - zip: its directory (zip-directory.ts) names each entry's size and CRC-32. An
//    entry copies a patient file that has its name or (from MIN_RENAMED_COPY_BYTES)
//    its size and whose bytes have the entry's CRC-32; an entry that keeps no CRC
//    (AES-encrypted) copies one of its name and size. A CRC is proven by reading
//    the patient file whole: at most ARCHIVE_CHECK_BYTES of them for one archive.
//  - tar, plain or gzip-compressed (tar-entries.ts): read as a stream, at most
//    ARCHIVE_CHECK_BYTES of it; an entry copies the patient file of its name or
//    size that begins with the same bytes, as a copy does.
// Past a budget the archive is not complete: nothing is guessed.
import type { FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import { createGunzip, crc32 } from 'node:zlib';
import { openHandleForSample } from './entropy';
import { hasSize, MAX_COPY_CANDIDATES, readStart, sourceStartingWith } from './copy-lineage';
import { isTarStart, readTarEntries } from './tar-entries';
import { isZipStart, MAX_ARCHIVE_ENTRIES, readZipDirectory } from './zip-directory';

/** Bytes of patient files read to prove a zip's entries, and of a tar stream read (about a second of work). */
export const ARCHIVE_CHECK_BYTES = 256 * 1024 * 1024;
/** Smallest file that can be an archive (an empty zip: its end record alone). */
export const MIN_ARCHIVE_BYTES = 22;
const CHUNK_BYTES = 1024 * 1024;
/** Bytes a file is recognised by: a tar header's magic is at 257. */
const FIRST_BYTES = 512;

/** What a file in an archive is known by. */
export interface ArchivedFile {
  name: string;
  size: number;
}

export interface ArchiveLineage {
  /** The patient file each proven entry copies. */
  copies: { entry: ArchivedFile; source: string }[];
  /** Every entry was checked; false past a budget or a limit, or for an archive cut short. */
  complete: boolean;
}

type Format = 'zip' | 'tar' | 'gzip';

function formatOf(first: Buffer): Format | null {
  if (isZipStart(first)) return 'zip';
  if (first.length >= 2 && first[0] === 0x1f && first[1] === 0x8b) return 'gzip';
  return isTarStart(first) ? 'tar' : null;
}

/**
 * What the archive at `path` holds of patient files; null when it is no archive this reads (zip, tar,
 * gzip holding a tar). `candidatesOf` names the patient files an entry may copy (by name, then size).
 */
export async function archivedFrom(
  path: string,
  candidatesOf: (entry: ArchivedFile) => string[],
  budget = ARCHIVE_CHECK_BYTES,
): Promise<ArchiveLineage | null> {
  const handle = await openHandleForSample(path).catch(() => null);
  if (!handle) return null;
  try {
    const first = Buffer.alloc(FIRST_BYTES);
    const { bytesRead } = await handle.read(first, 0, FIRST_BYTES, 0);
    const format = formatOf(first.subarray(0, bytesRead));
    if (format === 'zip') return await zipLineage(handle, candidatesOf, budget);
    if (format) return await tarLineage(handle, format === 'gzip', candidatesOf, budget);
    return null;
  } catch {
    return null;
  } finally {
    await handle.close();
  }
}

async function zipLineage(
  handle: FileHandle,
  candidatesOf: (entry: ArchivedFile) => string[],
  budget: number,
): Promise<ArchiveLineage | null> {
  const directory = await readZipDirectory(handle);
  if (!directory) return null;
  const checksums = new Map<string, number | null>();
  const lineage: ArchiveLineage = { copies: [], complete: directory.skipped === 0 };
  let left = budget;
  for (const entry of directory.entries) {
    let source: string | undefined;
    let outOfBudget = false;
    for (const candidate of candidatesOf(entry).slice(0, MAX_COPY_CANDIDATES)) {
      if (entry.crc32 === undefined) {
        if (basename(candidate) === entry.name && (await hasSize(candidate, entry.size))) source = candidate;
      } else {
        if (!checksums.has(candidate)) {
          outOfBudget = left < entry.size;
          if (outOfBudget) break;
          left -= entry.size;
          checksums.set(candidate, await checksumOf(candidate, entry.size));
        }
        if (checksums.get(candidate) === entry.crc32) source = candidate;
      }
      if (source) break;
    }
    if (source) lineage.copies.push({ entry, source });
    // The rest are not even looked up: an archive made to match many patient sizes stops here too.
    if (outOfBudget) return { ...lineage, complete: false };
  }
  return lineage;
}

async function tarLineage(
  handle: FileHandle,
  gzipped: boolean,
  candidatesOf: (entry: ArchivedFile) => string[],
  budget: number,
): Promise<ArchiveLineage | null> {
  const raw = handle.createReadStream({ start: 0, autoClose: false });
  const input = gzipped ? raw.pipe(createGunzip()) : raw;
  if (gzipped) raw.on('error', (error) => input.destroy(error));
  // Errors while reading end the reading (tar-entries.ts); one after it is over must not go unheard.
  input.on('error', () => undefined);
  try {
    const reading = await readTarEntries(input, { maxBytes: budget, maxEntries: MAX_ARCHIVE_ENTRIES });
    if (!reading) return null;
    const copies: ArchiveLineage['copies'] = [];
    for (const entry of reading.entries) {
      const source = await sourceStartingWith(entry.start, entry.size, candidatesOf(entry));
      if (source) copies.push({ entry: { name: entry.name, size: entry.size }, source });
    }
    return { copies, complete: reading.complete };
  } finally {
    input.destroy();
    raw.destroy();
  }
}

const first = Buffer.alloc(FIRST_BYTES);

/** Whether a file on a local disk begins as an archive archivedFrom reads (a cheap test first; false when unreadable). */
export function startsLikeArchive(path: string): boolean {
  return formatOf(first.subarray(0, Math.max(0, readStart(path, first, FIRST_BYTES)))) !== null;
}

/** CRC-32 of the file's bytes when it has `size` of them; else null. */
async function checksumOf(path: string, size: number): Promise<number | null> {
  const handle = await openHandleForSample(path).catch(() => null);
  if (!handle) return null;
  try {
    if ((await handle.stat()).size !== size) return null;
    const chunk = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, size));
    let sum = 0;
    let read = 0;
    while (read < size) {
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, read);
      if (bytesRead === 0) return null;
      sum = crc32(chunk.subarray(0, bytesRead), sum);
      read += bytesRead;
    }
    return sum;
  } catch {
    return null;
  } finally {
    await handle.close();
  }
}
