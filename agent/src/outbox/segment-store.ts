// The files of the disk outbox, in one folder (0700, files 0600):
//   seg-<first id>.log  append-only framed records (outbox-record.ts), each the events
//                       of one append; an event's id is its per-agent sequence
//                       (Event.sequence, set here); StoredRecord is one event
//   removed.log         u64 LE ids of events acknowledged or dropped (never to be sent again)
// A segment is named by the first id it holds (or will hold), so the next id is
// known even when every event is gone; it is deleted once every event in it is
// removed, unless it is the one being appended to. Appends go to the kernel at
// once (a returned append survives SIGKILL; the outbox gathers one event-loop turn's
// events into one append); `sync()` makes them survive power
// loss (the outbox calls it on its group-commit timer and on close).
import {
  closeSync,
  fsyncSync,
  ftruncateSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { Event, EventBatch } from '@wardwatch/proto';
import { decodeEventField, eventFieldOf, eventFieldsOf, type EventField } from './encoded-events';
import type { Priority } from './event-priority';
import {
  closeFrame,
  crcMatches,
  decodeHeader,
  FRAME_PREFIX_BYTES,
  groupHeaderBytes,
  headerBytes,
  keptStoredAt,
  MAX_GROUP_EVENTS,
  MIN_HEADER_BYTES,
  openFrame,
} from './outbox-record';
import { NONCE_BYTES, SEAL_OVERHEAD, TAG_BYTES, type RecordSealer } from './record-sealer';

/** A record too long for this is not one (a damaged length prefix). */
const MAX_RECORD_BYTES = 4 * 1_048_576;
const MIN_RECORD_BYTES = MIN_HEADER_BYTES + NONCE_BYTES + TAG_BYTES;
const REMOVED_LOG = 'removed.log';

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

export interface AppendEntry {
  event: Event;
  priority: Priority;
  storedAtMs: number;
}

export interface StoredEntry {
  entry: AppendEntry;
  record: StoredRecord;
  /** The event as stored (its sequence set), as its field of the record's EventBatch. */
  field: EventField;
}

/** What appendAll stored, in id order, and the entries it refused. */
export interface AppendResult {
  stored: StoredEntry[];
  refused: AppendEntry[];
  /** Why a write failed, when one did. */
  error?: unknown;
}

export interface RecoveryReport {
  /** Torn tails cut off (a write interrupted by a crash or power loss). */
  torn: number;
  tornBytes: number;
  /** Complete records whose CRC or header did not match (altered); GCM finds the rest when read. */
  tampered: number;
}

interface Segment {
  first: number;
  fd: number;
  size: number;
  live: number;
  removedIds: number[];
}

export class SegmentStore {
  private readonly segments = new Map<number, Segment>();
  private active: Segment;
  private nextId: number;
  private removedFd: number;
  private removedBytes = 0;
  private dirty = new Set<number>();
  /** The record read last, decoded: its other events are usually read next (a resend). */
  private lastRead: { segment: number; offset: number; events: Map<number, EventField> | null } | null = null;

  private constructor(
    private readonly dir: string,
    private readonly sealer: RecordSealer,
    private readonly segmentBytes: number,
    recovered: Segment[],
    nextId: number,
  ) {
    for (const segment of recovered) this.segments.set(segment.first, segment);
    this.nextId = nextId;
    this.removedFd = this.rewriteRemovedLog();
    this.active = this.openSegment(nextId);
  }

  /** Reads every segment; returns the live records in id order and what could not be read. */
  static open(dir: string, sealer: RecordSealer, segmentBytes: number) {
    const removed = readRemovedIds(join(dir, REMOVED_LOG));
    const names = readdirSync(dir)
      .filter((name) => /^seg-\d{16}\.log$/.test(name))
      .sort();
    const report: RecoveryReport = { torn: 0, tornBytes: 0, tampered: 0 };
    const records: StoredRecord[] = [];
    const segments: Segment[] = [];
    const empty: string[] = [];
    let nextId = 1;
    for (const name of names) {
      const first = Number(name.slice(4, 20));
      const scanned = scanSegment(join(dir, name), first, removed, report);
      for (const record of scanned.records) records.push(record);
      nextId = Math.max(nextId, first, scanned.maxId + 1);
      if (scanned.live === 0) empty.push(name);
      else
        segments.push({
          first,
          fd: openSync(join(dir, name), 'r+'),
          size: scanned.size,
          live: scanned.live,
          removedIds: scanned.removedIds,
        });
    }
    records.sort((a, b) => a.id - b.id);
    // The new active segment's name is the high-water mark: it is created (and the
    // folder fsynced) before the empty segments that held the old one are deleted.
    const store = new SegmentStore(dir, sealer, segmentBytes, segments, nextId);
    const kept = segmentName(nextId);
    const stale = empty.filter((name) => name !== kept);
    for (const name of stale) unlinkSync(join(dir, name));
    if (stale.length > 0) syncDir(dir);
    return { store, records, report };
  }

  /** The id (sequence) of the newest record ever appended; 0 before the first. */
  get lastId(): number {
    return this.nextId - 1;
  }

  /**
   * Seals the events and writes them, one record per append (more only when they would
   * not fit in one) and one system call per segment they fill, each stored event's
   * sequence set to its id. An event whose record would be longer than a record may be
   * is refused alone (its neighbours are stored); when the disk refuses a write
   * (`error`), that write's events and those after it are refused. A refused event uses no id.
   */
  appendAll(entries: readonly AppendEntry[]): AppendResult {
    const stored: StoredEntry[] = [];
    const refused: AppendEntry[] = [];
    let frames: Buffer[] = [];
    let framedBytes = 0;
    let start = 0;
    let index = 0;
    try {
      while (index < entries.length) {
        if (this.active.size + framedBytes >= this.segmentBytes) {
          this.write(frames, stored.length - start);
          frames = [];
          framedBytes = 0;
          start = stored.length;
          this.rotate();
        }
        const first = this.nextId + stored.length - start;
        const group = nextGroup(entries, index, first);
        if (!group) {
          refused.push(entries[index++]);
          continue;
        }
        index += group.entries.length;
        const framed = this.seal(first, group.entries, group.plain);
        const offset = this.active.size + framedBytes;
        frames.push(framed);
        framedBytes += framed.length;
        const count = group.entries.length;
        const fields = eventFieldsOf(group.plain);
        const share = Math.floor(framed.length / count);
        for (let k = 0; k < count; k++) {
          const entry = group.entries[k];
          const bytes = k === 0 ? framed.length - share * (count - 1) : share;
          const record = { id: first + k, segment: this.active.first, offset, frameBytes: framed.length, bytes };
          // The time as the header keeps it (whole ms after the first): the same after a restart.
          const storedAtMs = keptStoredAt(group.entries[0].storedAtMs, entry.storedAtMs);
          stored.push({ entry, record: { ...record, priority: entry.priority, storedAtMs }, field: fields[k] });
        }
      }
      this.write(frames, stored.length - start);
      return { stored, refused };
    } catch (error) {
      // The write of stored[start..] failed (or sealing threw): those and the rest are not stored.
      for (const { entry } of stored.splice(start)) refused.push(entry);
      for (; index < entries.length; index++) refused.push(entries[index]);
      return { stored, refused, error };
    }
  }

  /** One framed record of `entries` (ids from `first`), `plain` their EventBatch. */
  private seal(first: number, entries: readonly AppendEntry[], plain: Uint8Array): Buffer {
    const { framed, bodyOffset } = openFrame(first, entries, SEAL_OVERHEAD + plain.length);
    this.sealer.sealInto(plain, headerBytes(framed, bodyOffset), framed, bodyOffset);
    closeFrame(framed);
    return framed;
  }

  /** Writes the frames of `count` records at the end of the active segment (they were framed for it). */
  private write(frames: Buffer[], count: number): void {
    if (count === 0) return;
    const bytes = frames.length === 1 ? frames[0] : Buffer.concat(frames);
    writeFully(this.active.fd, bytes, this.active.size);
    this.nextId += count;
    this.active.size += bytes.length;
    this.active.live += count;
    this.dirty.add(this.active.fd);
  }

  /** The event of a live record (its field), or null when its record no longer authenticates. */
  read(record: StoredRecord): EventField | null {
    const cached = this.lastRead;
    const events =
      cached && cached.segment === record.segment && cached.offset === record.offset
        ? cached.events
        : this.readRecord(record);
    if (!events) return null;
    return events.get(record.id) ?? null;
  }

  /** The events of the record holding `record` by id (null: unreadable), kept for its neighbours' reads. */
  private readRecord(record: StoredRecord): Map<number, EventField> | null {
    const segment = this.segments.get(record.segment);
    if (!segment) return null;
    const framed = Buffer.alloc(record.frameBytes);
    let events: Map<number, EventField> | null = null;
    if (readSync(segment.fd, framed, 0, record.frameBytes, record.offset) === record.frameBytes)
      events = this.openRecord(framed);
    this.lastRead = { segment: record.segment, offset: record.offset, events };
    return events;
  }

  private openRecord(framed: Buffer): Map<number, EventField> | null {
    const header = decodeHeader(framed.subarray(FRAME_PREFIX_BYTES));
    if (!header) return null;
    const bodyOffset = FRAME_PREFIX_BYTES + header.bytes;
    const plain = this.sealer.open(framed.subarray(bodyOffset), framed.subarray(FRAME_PREFIX_BYTES, bodyOffset));
    if (!plain) return null;
    try {
      const events = header.version === 1 ? [eventFieldOf(plain)] : eventFieldsOf(plain);
      // Parsed too (read back after a restart or a broken stream: rare), so a record that is
      // not events is refused here, as before, rather than sent.
      for (const field of events) decodeEventField(field);
      if (events.length !== header.priorities.length) return null;
      return new Map(events.map((event, k) => [header.first + k, event]));
    } catch {
      return null;
    }
  }

  /** Never to be sent again (acknowledged or dropped); deletes segments left empty. */
  remove(records: readonly StoredRecord[]): void {
    if (records.length === 0) return;
    const ids = Buffer.alloc(8 * records.length);
    records.forEach((record, index) => writeId(ids, record.id, 8 * index));
    writeFully(this.removedFd, ids, this.removedBytes);
    this.removedBytes += ids.length;
    this.dirty.add(this.removedFd);
    for (const record of records) {
      const segment = this.segments.get(record.segment);
      if (!segment) continue;
      segment.live -= 1;
      segment.removedIds.push(record.id);
      if (segment.live === 0 && segment !== this.active) this.deleteSegment(segment);
    }
    // Keep the log in proportion to what is still on disk (1 MiB with 16 MiB segments).
    if (this.removedBytes > this.segmentBytes / 16 && this.removedBytes > 16 * 8 * this.liveRemovedCount()) {
      // The rewrite is fsynced itself; the old descriptor must not be synced after it is closed.
      this.dirty.delete(this.removedFd);
      closeSync(this.removedFd);
      this.removedFd = this.rewriteRemovedLog();
    }
  }

  /** Bytes of all segment files. */
  get diskBytes(): number {
    let total = 0;
    for (const segment of this.segments.values()) total += segment.size;
    return total;
  }

  /** fsync of every file written since the last call (the group commit). */
  sync(): void {
    for (const fd of this.dirty) fsyncSync(fd);
    this.dirty.clear();
  }

  close(): void {
    this.sync();
    for (const segment of this.segments.values()) closeSync(segment.fd);
    this.segments.clear();
    closeSync(this.removedFd);
  }

  private rotate(): void {
    const old = this.active;
    this.active = this.openSegment(this.nextId);
    if (old.live === 0) this.deleteSegment(old);
  }

  private openSegment(first: number): Segment {
    const existing = this.segments.get(first);
    if (existing) return existing;
    const fd = openSync(join(this.dir, segmentName(first)), 'w+', 0o600);
    const segment: Segment = { first, fd, size: 0, live: 0, removedIds: [] };
    this.segments.set(first, segment);
    syncDir(this.dir);
    return segment;
  }

  private deleteSegment(segment: Segment): void {
    if (this.lastRead?.segment === segment.first) this.lastRead = null;
    closeSync(segment.fd);
    this.dirty.delete(segment.fd);
    unlinkSync(join(this.dir, segmentName(segment.first)));
    this.segments.delete(segment.first);
  }

  private liveRemovedCount(): number {
    let count = 0;
    for (const segment of this.segments.values()) count += segment.removedIds.length;
    return count;
  }

  /** removed.log with only the ids of segments still on disk: written aside, fsynced, renamed. */
  private rewriteRemovedLog(): number {
    const ids: number[] = [];
    for (const segment of this.segments.values()) for (const id of segment.removedIds) ids.push(id);
    const buffer = Buffer.alloc(8 * ids.length);
    ids.forEach((id, index) => writeId(buffer, id, 8 * index));
    const path = join(this.dir, REMOVED_LOG);
    const fd = openSync(`${path}.tmp`, 'w', 0o600);
    writeFully(fd, buffer, 0);
    fsyncSync(fd);
    closeSync(fd);
    renameSync(`${path}.tmp`, path);
    syncDir(this.dir);
    this.removedBytes = buffer.length;
    return openSync(path, 'r+');
  }
}

function scanSegment(path: string, first: number, removed: Set<number>, report: RecoveryReport) {
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

function readRemovedIds(path: string): Set<number> {
  const ids = new Set<number>();
  let data: Buffer;
  try {
    data = readFileSync(path);
  } catch {
    return ids;
  }
  for (let offset = 0; offset + 8 <= data.length; offset += 8) ids.add(Number(data.readBigUInt64LE(offset)));
  return ids;
}

/** u64 LE, without a BigInt per id (ids stay below 2^53). */
function writeId(buffer: Buffer, id: number, at: number): void {
  buffer.writeUInt32LE(id % 2 ** 32, at);
  buffer.writeUInt32LE(Math.floor(id / 2 ** 32), at + 4);
}

function segmentName(first: number): string {
  return `seg-${String(first).padStart(16, '0')}.log`;
}

function writeFully(fd: number, buffer: Buffer, position: number): void {
  let written = 0;
  while (written < buffer.length)
    written += writeSync(fd, buffer, written, buffer.length - written, position + written);
}

function syncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Events that go into one record. */
interface Group {
  entries: readonly AppendEntry[];
  /** EventBatch of the entries' events, sequences set. */
  plain: Uint8Array;
}

/**
 * The events from `index` that go into one record with ids from `first`: all that are
 * left, or (when they would make a record too long) as many as fit; null when the
 * event at `index` does not fit in a record on its own.
 */
function nextGroup(entries: readonly AppendEntry[], index: number, first: number): Group | null {
  const end = Math.min(entries.length, index + MAX_GROUP_EVENTS);
  const all = index === 0 && end === entries.length ? entries : entries.slice(index, end);
  const plain = encodeEvents(all, first);
  if (fits(all.length, plain.length)) return { entries: all, plain };
  // Rare: too much for one record. Take events while they fit, measured one by one.
  let bytes = 0;
  let count = 0;
  for (; count < all.length; count++) {
    const size = Event.encode({ ...all[count].event, sequence: first + count }).finish().length;
    // Field tag and a length prefix of up to 5 bytes around each event in the EventBatch.
    if (!fits(count + 1, bytes + size + 6)) break;
    bytes += size + 6;
  }
  if (count === 0) return null;
  const taken = all.slice(0, count);
  return { entries: taken, plain: encodeEvents(taken, first) };
}

/** The EventBatch of `entries`' events, numbered from `first`. */
function encodeEvents(entries: readonly AppendEntry[], first: number): Uint8Array {
  const events = entries.map(({ event }, k) => ({ ...event, sequence: first + k }));
  return EventBatch.encode({ sequence: 0, events, dropped: {} }).finish();
}

/** Whether a record of `count` events whose EventBatch has `plainBytes` may be written (recovery would cut a longer one). */
function fits(count: number, plainBytes: number): boolean {
  return groupHeaderBytes(count) + SEAL_OVERHEAD + plainBytes <= MAX_RECORD_BYTES;
}
