// One outbox record as framed on disk: the events one append gathered (one
// event-loop turn, outbox "Gathering"), sealed together:
//   u32 LE length of the rest ‖ u32 LE CRC-32 of the rest ‖ header ‖ sealed events
//   header (in clear, authenticated by GCM as additional data), version 2:
//     u8 version ‖ u64 LE first id ‖ f64 LE stored-at ms of the first ‖ u16 LE count ‖
//     count × u8 priority class ‖ count × u32 LE ms stored after the first
//     the events' ids (per-agent sequences) are first … first + count - 1
//   sealed events: nonce ‖ AES-256-GCM(EventBatch protobuf holding the events) ‖ tag (record-sealer.ts)
// Version 1 (written before 2026-12) held one event each and is still read:
//     u8 version ‖ u8 priority class ‖ u64 LE id ‖ f64 LE stored-at ms, sealed: the Event protobuf.
// One seal per append, not per event: a GCM context per event cost ~6 µs of the
// ~7 µs the sealing took per event (agent-footprint bench, 1,000 events/s).
// The price: an altered record loses all the events of its turn (each counted).
// The CRC finds a torn tail at start without decrypting anything (a restart scans
// a day's outage in seconds); GCM, checked when a record is read to be sent,
// finds a record altered on purpose. The header tells no more than the records'
// positions do: their order, classes and age.
import { crc32 } from 'node:zlib';
import { priorities, type Priority } from './event-priority';

const VERSION_SINGLE = 1;
const VERSION_GROUP = 2;
const SINGLE_HEADER_BYTES = 18;
const GROUP_FIXED_BYTES = 19;
/** Events one record may hold (u16 count). */
export const MAX_GROUP_EVENTS = 65_535;
/** length ‖ CRC */
export const FRAME_PREFIX_BYTES = 8;
/** The smallest header (a record of one event, either version). */
export const MIN_HEADER_BYTES = SINGLE_HEADER_BYTES;

export interface RecordHeader {
  /** Id of the first event; the others follow without gaps. */
  first: number;
  /** One per event, in id order. */
  priorities: Priority[];
  /** One per event, in id order. */
  storedAtMs: number[];
  /** 1: the body is one Event; 2: an EventBatch of `priorities.length` events. */
  version: number;
  /** Bytes of the header. */
  bytes: number;
}

/** Header bytes of a version-2 record of `count` events. */
export function groupHeaderBytes(count: number): number {
  return GROUP_FIXED_BYTES + 5 * count;
}

/**
 * A framed record's buffer with its (version 2) header written, `bodyBytes` left for the
 * sealed events after it (the caller seals into it at `bodyOffset`, then closes the frame).
 */
export function openFrame(
  first: number,
  events: readonly { priority: Priority; storedAtMs: number }[],
  bodyBytes: number,
): { framed: Buffer; bodyOffset: number } {
  const count = events.length;
  const headerLength = groupHeaderBytes(count);
  const bodyOffset = FRAME_PREFIX_BYTES + headerLength;
  const framed = Buffer.allocUnsafe(bodyOffset + bodyBytes);
  let at = FRAME_PREFIX_BYTES;
  framed.writeUInt8(VERSION_GROUP, at);
  framed.writeUInt32LE(first % 2 ** 32, at + 1);
  framed.writeUInt32LE(Math.floor(first / 2 ** 32), at + 5);
  const firstStoredAt = events[0].storedAtMs;
  framed.writeDoubleLE(firstStoredAt, at + 9);
  framed.writeUInt16LE(count, at + 17);
  at += GROUP_FIXED_BYTES;
  for (let k = 0; k < count; k++) {
    framed[at + k] = priorities.indexOf(events[k].priority);
    framed.writeUInt32LE(msAfter(firstStoredAt, events[k].storedAtMs), at + count + 4 * k);
  }
  return { framed, bodyOffset };
}

/** Whole ms from the first event's store time; a clock stepped back reads as the first's time. */
function msAfter(firstMs: number, ms: number): number {
  return Math.min(Math.max(Math.round(ms - firstMs), 0), 2 ** 32 - 1);
}

/** An event's store time as the header keeps it (what a restart reads back). */
export function keptStoredAt(firstMs: number, ms: number): number {
  return firstMs + msAfter(firstMs, ms);
}

/** The header bytes of a framed record (what GCM authenticates beside the events). */
export function headerBytes(framed: Buffer, bodyOffset: number): Buffer {
  return framed.subarray(FRAME_PREFIX_BYTES, bodyOffset);
}

/** Writes the length and CRC once header and sealed events are in place. */
export function closeFrame(framed: Buffer): void {
  framed.writeUInt32LE(framed.length - FRAME_PREFIX_BYTES, 0);
  framed.writeUInt32LE(crc32(framed.subarray(FRAME_PREFIX_BYTES)), 4);
}

/** The header at the start of `bytes` (a record after its prefix); null when it is not one of either version. */
export function decodeHeader(bytes: Buffer): RecordHeader | null {
  if (bytes.length < SINGLE_HEADER_BYTES) return null;
  const version = bytes.readUInt8(0);
  if (version === VERSION_SINGLE) {
    const priority = priorities[bytes.readUInt8(1)];
    if (!priority) return null;
    const first = bytes.readUInt32LE(2) + bytes.readUInt32LE(6) * 2 ** 32;
    const storedAtMs = bytes.readDoubleLE(10);
    return { first, priorities: [priority], storedAtMs: [storedAtMs], version, bytes: SINGLE_HEADER_BYTES };
  }
  if (version !== VERSION_GROUP || bytes.length < GROUP_FIXED_BYTES) return null;
  const count = bytes.readUInt16LE(17);
  if (count === 0 || bytes.length < groupHeaderBytes(count)) return null;
  const firstStoredAt = bytes.readDoubleLE(9);
  const classes: Priority[] = new Array<Priority>(count);
  const storedAtMs: number[] = new Array<number>(count);
  for (let k = 0; k < count; k++) {
    const priority = priorities[bytes[GROUP_FIXED_BYTES + k]];
    if (!priority) return null;
    classes[k] = priority;
    storedAtMs[k] = firstStoredAt + bytes.readUInt32LE(GROUP_FIXED_BYTES + count + 4 * k);
  }
  const first = bytes.readUInt32LE(1) + bytes.readUInt32LE(5) * 2 ** 32;
  return { first, priorities: classes, storedAtMs, version, bytes: groupHeaderBytes(count) };
}

/** Whether the bytes after the prefix match the CRC in it. */
export function crcMatches(framed: Buffer): boolean {
  return crc32(framed.subarray(FRAME_PREFIX_BYTES)) === framed.readUInt32LE(4);
}
