// The table of contents of a zip archive: the central directory at its end names
// every entry with its size and CRC-32, so what an archive holds is known without
// inflating a byte (archive-lineage.ts matches it to patient files). The archive
// is the workstation's, so attacker-made: every count, offset and length is
// checked against the file and the limits below, and a malformed archive is
// "not an archive" (null), never an exception or a long read. An archive must
// begin as one: a self-extracting program is not read.
import type { FileHandle } from 'node:fs/promises';

export interface ZipEntry {
  /** The entry's file name without its folders (UTF-8 where the archive says so, else Latin-1). */
  name: string;
  /** Uncompressed size in bytes. */
  size: number;
  /** CRC-32 of the uncompressed bytes; absent where the archive keeps none (AES-encrypted entries, AE-2). */
  crc32?: number;
}

export interface ZipDirectory {
  entries: ZipEntry[];
  /** Entries the archive lists beyond MAX_ARCHIVE_ENTRIES or MAX_DIRECTORY_BYTES, not read. */
  skipped: number;
}

/** Entries read from one archive, zip or tar (a ward's charts for a year are a few thousand). */
export const MAX_ARCHIVE_ENTRIES = 10_000;
/** Bytes of central directory read from one archive: about 40,000 entries of 100-byte names. */
export const MAX_DIRECTORY_BYTES = 4 * 1024 * 1024;

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const CENTRAL_FIXED = 46;
const END = 0x06054b50;
const END_FIXED = 22;
const MAX_COMMENT = 0xffff;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_LOCATOR_LENGTH = 20;
const ZIP64_END = 0x06064b50;
const ZIP64_END_FIXED = 56;
const ZIP64_EXTRA = 0x0001;
const AES_METHOD = 99;
const UTF8_FLAG = 0x800;
const MAX16 = 0xffff;
const MAX32 = 0xffffffff;

/** The directory of the zip archive open in `file`, or null when it is none (or not one this reader trusts). */
export async function readZipDirectory(file: FileHandle): Promise<ZipDirectory | null> {
  const size = (await file.stat()).size;
  if (size < END_FIXED) return null;
  // An archive starts with an entry, or with its end when it is empty; anything else is not read further.
  if (!isZipStart(await readAt(file, 0, 4))) return null;
  const tailStart = Math.max(0, size - END_FIXED - MAX_COMMENT - ZIP64_LOCATOR_LENGTH);
  const tail = await readAt(file, tailStart, size - tailStart);
  const end = findEnd(tail);
  if (end < 0) return null;
  let directory = {
    entries: tail.readUInt16LE(end + 10),
    bytes: tail.readUInt32LE(end + 12),
    endsAt: tailStart + end,
  };
  const locator = end - ZIP64_LOCATOR_LENGTH;
  const isZip64 = directory.entries === MAX16 || directory.bytes === MAX32 || tail.readUInt32LE(end + 16) === MAX32;
  if (isZip64 && locator >= 0 && tail.readUInt32LE(locator) === ZIP64_LOCATOR) {
    const zip64 = await readZip64End(file, tail, locator, tailStart + locator);
    if (!zip64) return null;
    directory = zip64;
  }
  // The directory lies just before its end record, whatever offset it claims.
  const start = directory.endsAt - directory.bytes;
  if (directory.bytes < 0 || start < 0) return null;
  const bytes = await readAt(file, start, Math.min(directory.bytes, MAX_DIRECTORY_BYTES));
  return parseDirectory(bytes, directory.entries);
}

/** Whether these first bytes of a file are those of a zip archive: an entry, or the end of an empty one. */
export function isZipStart(first: Buffer): boolean {
  if (first.length < 4) return false;
  const signature = first.readUInt32LE(0);
  return signature === LOCAL_HEADER || signature === END || signature === ZIP64_END;
}

/** Offset of the end record in `tail`: the last signature whose comment fits in what follows it. */
function findEnd(tail: Buffer): number {
  for (let at = tail.length - END_FIXED; at >= 0; at--) {
    if (tail.readUInt32LE(at) !== END) continue;
    if (at + END_FIXED + tail.readUInt16LE(at + 20) <= tail.length) return at;
  }
  return -1;
}

/** The zip64 end record the locator points at (else the one just before the locator). */
async function readZip64End(file: FileHandle, tail: Buffer, locator: number, locatorAt: number) {
  const claimed = bigToNumber(tail.readBigUInt64LE(locator + 8));
  for (const at of [claimed, locatorAt - ZIP64_END_FIXED]) {
    if (at === undefined || at < 0 || at + ZIP64_END_FIXED > locatorAt) continue;
    const record = await readAt(file, at, ZIP64_END_FIXED);
    if (record.length < ZIP64_END_FIXED || record.readUInt32LE(0) !== ZIP64_END) continue;
    const entries = bigToNumber(record.readBigUInt64LE(32));
    const bytes = bigToNumber(record.readBigUInt64LE(40));
    if (entries === undefined || bytes === undefined) return null;
    return { entries, bytes, endsAt: at };
  }
  return null;
}

/** The entries of a central directory (`bytes` may be cut short by MAX_DIRECTORY_BYTES); null if it is not one. */
export function parseDirectory(bytes: Buffer, listed: number): ZipDirectory | null {
  if (listed > 0 && (bytes.length < CENTRAL_FIXED || bytes.readUInt32LE(0) !== CENTRAL_HEADER)) return null;
  const entries: ZipEntry[] = [];
  let at = 0;
  let read = 0;
  while (read < listed && read < MAX_ARCHIVE_ENTRIES && at + CENTRAL_FIXED <= bytes.length) {
    if (bytes.readUInt32LE(at) !== CENTRAL_HEADER) return null;
    const nameLength = bytes.readUInt16LE(at + 28);
    const extraLength = bytes.readUInt16LE(at + 30);
    const next = at + CENTRAL_FIXED + nameLength + extraLength + bytes.readUInt16LE(at + 32);
    if (next > bytes.length) break; // cut short by the read limit
    const entry = centralEntry(bytes, at, nameLength, extraLength);
    if (entry) entries.push(entry);
    read += 1;
    at = next;
  }
  return { entries, skipped: listed - read };
}

/** One file entry of the directory (folders and empty files are none). */
function centralEntry(bytes: Buffer, at: number, nameLength: number, extraLength: number): ZipEntry | undefined {
  const flags = bytes.readUInt16LE(at + 8);
  const method = bytes.readUInt16LE(at + 10);
  const crc32 = bytes.readUInt32LE(at + 16);
  let size: number | undefined = bytes.readUInt32LE(at + 24);
  const nameAt = at + CENTRAL_FIXED;
  const path = bytes.toString(flags & UTF8_FLAG ? 'utf8' : 'latin1', nameAt, nameAt + nameLength);
  const name = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
  if (size === MAX32) size = zip64Size(bytes.subarray(nameAt + nameLength, nameAt + nameLength + extraLength));
  if (!name || !size) return undefined;
  // AE-2 encryption stores a CRC of 0 (its own MAC instead); a real file's CRC is 0 once in 4 billion.
  const keepsCrc = method !== AES_METHOD || crc32 !== 0;
  return keepsCrc ? { name, size, crc32 } : { name, size };
}

/** The uncompressed size from the zip64 extra field (its first value when the header's size is 0xFFFFFFFF). */
function zip64Size(extra: Buffer): number | undefined {
  for (let at = 0; at + 4 <= extra.length;) {
    const id = extra.readUInt16LE(at);
    const length = extra.readUInt16LE(at + 2);
    if (id === ZIP64_EXTRA && length >= 8 && at + 12 <= extra.length) return bigToNumber(extra.readBigUInt64LE(at + 4));
    at += 4 + length;
  }
  return undefined;
}

function bigToNumber(value: bigint): number | undefined {
  return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : undefined;
}

async function readAt(file: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await file.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead);
}
