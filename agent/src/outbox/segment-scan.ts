// A segment read back when the outbox opens: its live records, the ids in it already removed,
// and a torn tail (a write cut short by a crash or power loss) cut off.
import { closeSync, fsyncSync, ftruncateSync, openSync, readFileSync } from 'node:fs';
import { crcMatches, decodeHeader, FRAME_PREFIX_BYTES, MIN_HEADER_BYTES } from './outbox-record';
import { MAX_RECORD_BYTES } from './record-groups';
import { NONCE_BYTES, SEAL_OVERHEAD, TAG_BYTES } from './record-sealer';
import type { Priority } from './event-priority';

export interface StoredRecord {
  id: number;
  segment: number;
  /** Where the record holding this event starts in its segment. */
  offset: number;
  /** Bytes of that record on disk, length prefix included (it may hold other events). */
  frameBytes: number;
  /** This event's share of them (the shares of a record's events add up to its bytes). */
  bytes: number;
  priority: Priority;
  storedAtMs: number;
}

export interface RecoveryReport {
  /** Torn tails cut off (a write interrupted by a crash or power loss). */
  torn: number;
  tornBytes: number;
  /** Complete records whose CRC or header did not match (altered); GCM finds the rest when read. */
  tampered: number;
}

const MIN_RECORD_BYTES = MIN_HEADER_BYTES + NONCE_BYTES + TAG_BYTES;

/** The segment at `path`, named for id `first`: its live records, the removed ids it holds, its highest id and kept size. */
export function scanSegment(path: string, first: number, removed: Set<number>, report: RecoveryReport) {
  const data = readFileSync(path);
  const records: StoredRecord[] = [];
  const removedIds: number[] = [];
  let offset = 0;
  let maxId = first - 1;
  while (offset < data.length) {
    const length = data.length - offset >= FRAME_PREFIX_BYTES ? data.readUInt32LE(offset) : 0;
    const end = offset + FRAME_PREFIX_BYTES + length;
    if (length < MIN_RECORD_BYTES || length > MAX_RECORD_BYTES || end > data.length) {
      // A torn or damaged tail: nothing after it can be framed. Cut it off.
      report.torn += 1;
      report.tornBytes += data.length - offset;
      const fd = openSync(path, 'r+');
      ftruncateSync(fd, offset);
      fsyncSync(fd);
      closeSync(fd);
      break;
    }
    const framed = data.subarray(offset, end);
    const header = crcMatches(framed) ? decodeHeader(framed.subarray(FRAME_PREFIX_BYTES)) : null;
    if (!header || header.bytes + SEAL_OVERHEAD > length) report.tampered += 1;
    else {
      const count = header.priorities.length;
      maxId = Math.max(maxId, header.first + count - 1);
      const share = Math.floor(framed.length / count);
      for (let k = 0; k < count; k++) {
        const id = header.first + k;
        if (removed.has(id)) removedIds.push(id);
        else {
          const bytes = k === 0 ? framed.length - share * (count - 1) : share;
          const storedAtMs = header.storedAtMs[k];
          const priority = header.priorities[k];
          records.push({ id, segment: first, offset, frameBytes: framed.length, bytes, priority, storedAtMs });
        }
      }
    }
    offset = end;
  }
  return { records, removedIds, maxId, size: offset, live: records.length };
}
