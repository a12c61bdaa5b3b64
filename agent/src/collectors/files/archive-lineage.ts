// Which patient files a new archive holds. Charts zipped onto a stick make a new
// file whose bytes match no patient file (copy-lineage.ts), but the archive's
// directory (zip-directory.ts) names each entry's size and CRC-32. An entry is a
// copy of a patient file that has its name or (from MIN_RENAMED_COPY_BYTES) its
// size, and whose bytes have the entry's CRC-32; an entry that keeps no CRC
// (AES-encrypted) is one when both name and size match. Proving a CRC reads the
// patient file whole, so one archive reads at most ARCHIVE_CHECK_BYTES of them:
// the entries from the first it cannot prove within that are counted as
// unchecked, never guessed.
import { closeSync, readSync } from 'node:fs';
import { basename } from 'node:path';
import { crc32 } from 'node:zlib';
import { openForSample, openHandleForSample } from './entropy';
import { MAX_COPY_CANDIDATES } from './copy-lineage';
import { isZipStart, readZipDirectory, type ZipEntry } from './zip-directory';

/** Bytes of patient files read to prove one archive's entries (a few seconds of disk at most). */
export const ARCHIVE_CHECK_BYTES = 256 * 1024 * 1024;
/** Smallest file that can be a zip archive (an empty one: its end record alone). */
export const MIN_ARCHIVE_BYTES = 22;
const CHUNK_BYTES = 1024 * 1024;

export interface ArchiveLineage {
  /** The patient file each proven entry copies. */
  copies: { entry: ZipEntry; source: string }[];
  /** Entries not checked: past the byte budget, or past the directory's limits (zip-directory.ts). */
  unchecked: number;
}

/**
 * What the archive at `path` holds of patient files; null when it is not a zip archive one can read.
 * `candidatesOf` names the patient files an entry may copy (by its name, then its size).
 */
export async function archivedFrom(
  path: string,
  candidatesOf: (entry: ZipEntry) => string[],
  budget = ARCHIVE_CHECK_BYTES,
): Promise<ArchiveLineage | null> {
  const handle = await openHandleForSample(path).catch(() => null);
  if (!handle) return null;
  const directory = await readZipDirectory(handle)
    .catch(() => null)
    .finally(() => handle.close());
  if (!directory) return null;
  const checksums = new Map<string, number | null>();
  const lineage: ArchiveLineage = { copies: [], unchecked: directory.skipped };
  let left = budget;
  for (const [index, entry] of directory.entries.entries()) {
    let source: string | undefined;
    let outOfBudget = false;
    for (const candidate of candidatesOf(entry).slice(0, MAX_COPY_CANDIDATES)) {
      if (entry.crc32 === undefined) {
        if (basename(candidate) === entry.name && (await checksumOf(candidate, entry.size, false)) !== null)
          source = candidate;
      } else {
        if (!checksums.has(candidate)) {
          outOfBudget = left < entry.size;
          if (outOfBudget) break;
          left -= entry.size;
          checksums.set(candidate, await checksumOf(candidate, entry.size, true));
        }
        if (checksums.get(candidate) === entry.crc32) source = candidate;
      }
      if (source) break;
    }
    if (source) lineage.copies.push({ entry, source });
    // The rest are not even looked up: an archive made to match many patient sizes stops here too.
    if (outOfBudget) {
      lineage.unchecked += directory.entries.length - index;
      break;
    }
  }
  return lineage;
}

const magic = Buffer.alloc(4);

/** Whether a file on a local disk begins as a zip archive does (a cheap test before archivedFrom; false when unreadable). */
export function startsLikeArchive(path: string): boolean {
  let fd = -1;
  try {
    fd = openForSample(path);
    return readSync(fd, magic, 0, 4, 0) === 4 && isZipStart(magic);
  } catch {
    return false;
  } finally {
    if (fd >= 0) closeSync(fd);
  }
}

/** CRC-32 of the file's bytes when it has `size` of them (with `whole` false, only its size is checked: 0); else null. */
async function checksumOf(path: string, size: number, whole: boolean): Promise<number | null> {
  const handle = await openHandleForSample(path).catch(() => null);
  if (!handle) return null;
  try {
    if ((await handle.stat()).size !== size) return null;
    if (!whole) return 0;
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
