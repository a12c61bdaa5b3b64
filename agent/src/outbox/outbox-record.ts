// One outbox record as framed on disk:
//   u32 LE length of the rest ‖ u32 LE CRC-32 of the rest ‖ header ‖ sealed event
//   header (18 bytes, in clear, authenticated by GCM as additional data):
//     u8 version ‖ u8 priority class ‖ u64 LE id (the per-agent sequence) ‖ f64 LE stored-at ms
//   sealed event: nonce ‖ AES-256-GCM(Event protobuf) ‖ tag (record-sealer.ts)
// The CRC finds a torn tail at start without decrypting anything (a restart scans
// a day's outage in seconds); GCM, checked when a record is read to be sent,
// finds a record altered on purpose. The header tells no more than the record's
// position does: its order, class and age.
import { crc32 } from 'node:zlib';
import { priorities, type Priority } from './event-priority';

const VERSION = 1;
export const HEADER_BYTES = 18;
/** length ‖ CRC */
export const FRAME_PREFIX_BYTES = 8;

export interface RecordHeader {
  id: number;
  priority: Priority;
  storedAtMs: number;
}

/** Offset of the sealed event in a framed record. */
export const BODY_OFFSET = 8 + HEADER_BYTES;

/**
 * A framed record's buffer with its header written, `bodyBytes` left for the sealed
 * event (the caller seals into it, then closes the frame): one buffer per record.
 */
export function openFrame(header: RecordHeader, bodyBytes: number): Buffer {
  const framed = Buffer.allocUnsafe(BODY_OFFSET + bodyBytes);
  framed.writeUInt8(VERSION, FRAME_PREFIX_BYTES);
  framed.writeUInt8(priorities.indexOf(header.priority), FRAME_PREFIX_BYTES + 1);
  framed.writeUInt32LE(header.id % 2 ** 32, FRAME_PREFIX_BYTES + 2);
  framed.writeUInt32LE(Math.floor(header.id / 2 ** 32), FRAME_PREFIX_BYTES + 6);
  framed.writeDoubleLE(header.storedAtMs, FRAME_PREFIX_BYTES + 10);
  return framed;
}

/** The header bytes of a framed record (what GCM authenticates beside the event). */
export function headerBytes(framed: Buffer): Buffer {
  return framed.subarray(FRAME_PREFIX_BYTES, BODY_OFFSET);
}

/** Writes the length and CRC once header and sealed event are in place. */
export function closeFrame(framed: Buffer): void {
  framed.writeUInt32LE(framed.length - FRAME_PREFIX_BYTES, 0);
  framed.writeUInt32LE(crc32(framed.subarray(FRAME_PREFIX_BYTES)), 4);
}

/** Null when it is not a header of this version. */
export function decodeHeader(bytes: Buffer): RecordHeader | null {
  if (bytes.length < HEADER_BYTES || bytes.readUInt8(0) !== VERSION) return null;
  const priority = priorities[bytes.readUInt8(1)];
  if (!priority) return null;
  return { id: bytes.readUInt32LE(2) + bytes.readUInt32LE(6) * 2 ** 32, priority, storedAtMs: bytes.readDoubleLE(10) };
}

/** Whether the bytes after the prefix match the CRC in it. */
export function crcMatches(framed: Buffer): boolean {
  return crc32(framed.subarray(FRAME_PREFIX_BYTES)) === framed.readUInt32LE(4);
}
