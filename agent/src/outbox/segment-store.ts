// The files of the disk outbox, in one folder (0700, files 0600):
//   seg-<first id>.log  append-only framed records (outbox-record.ts), each the events
//                       of one append; an event's id is its per-agent sequence
//                       (Event.sequence, set here); StoredRecord is one event
//   removed.log         ids of events acknowledged or dropped, never to be sent again (removed-log.ts)
// A segment is named by the first id it holds (or will hold), so the next id is
// known even when every event is gone; it is deleted once every event in it is
// removed, unless it is the one being appended to. Appends go to the kernel at
// once (a returned append survives SIGKILL; the outbox gathers one event-loop turn's
// events into one append); `sync()` makes them survive power
// loss (the outbox calls it on its group-commit timer and on close).
import { closeSync, fsyncSync, openSync, readdirSync, readSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { eventFieldOf, eventFieldsOf, decodeEventField, type EventField } from './encoded-events';
import { closeFrame, decodeHeader, FRAME_PREFIX_BYTES, headerBytes, keptStoredAt, openFrame } from './outbox-record';
import { nextGroup, type AppendEntry } from './record-groups';
import { SEAL_OVERHEAD, type RecordSealer } from './record-sealer';
import { RemovedLog } from './removed-log';
import { scanSegment, type RecoveryReport, type StoredRecord } from './segment-scan';
import { syncDir, writeFully } from './durable-writes';

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
  private readonly removed: RemovedLog;
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
    this.removed = new RemovedLog(dir, this.removedIds());
    this.active = this.openSegment(nextId);
  }

  /** Reads every segment; returns the live records in id order and what could not be read. */
  static open(dir: string, sealer: RecordSealer, segmentBytes: number) {
    const removed = RemovedLog.read(dir);
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
    this.removed.append(records.map((record) => record.id));
    for (const record of records) {
      const segment = this.segments.get(record.segment);
      if (!segment) continue;
      segment.live -= 1;
      segment.removedIds.push(record.id);
      if (segment.live === 0 && segment !== this.active) this.deleteSegment(segment);
    }
    // Keep the log in proportion to what is still on disk (1 MiB with 16 MiB segments).
    const bytes = this.removed.bytes;
    if (bytes > this.segmentBytes / 16 && bytes > 16 * 8 * this.liveRemovedCount())
      this.removed.compact(this.removedIds());
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
    this.removed.sync();
  }

  close(): void {
    this.sync();
    for (const segment of this.segments.values()) closeSync(segment.fd);
    this.segments.clear();
    this.removed.close();
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

  /** The removed ids of the segments still on disk (removed.log keeps only these). */
  private removedIds(): number[] {
    const ids: number[] = [];
    for (const segment of this.segments.values()) for (const id of segment.removedIds) ids.push(id);
    return ids;
  }
}

function segmentName(first: number): string {
  return `seg-${String(first).padStart(16, '0')}.log`;
}
