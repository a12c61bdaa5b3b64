// The agent's durable outbox: every event is stored (sealed) on disk before it
// can be sent, and forgotten only after the manager acknowledges the batch that
// carried it. Files and their format: segment-store.ts; encryption: record-sealer.ts.
//
// Invariants (held by disk-outbox.test.ts against the real files in a temp dir):
// - Store before send: `takeBatch` only hands out records already written.
// - Delete after ack: a record leaves the outbox only when a batch containing it
//   is acknowledged (Ack.sequence >= batch sequence) or when it is dropped; both
//   are written to removed.log, so neither is sent again after a restart.
// - Nothing lost silently: every record that was not acknowledged is sent again
//   after the stream breaks, after a clean stop and restart, and after SIGKILL
//   (an event is in the kernel once the event-loop turn that pushed it ended:
//   the events of one turn — a sweep of the file watcher — are sealed together in
//   one record and written with one system call, see "Gathering" below). After power loss, at most the
//   last `fsyncIntervalMs` of appends (and of acks: those are then resent; the
//   manager ignores repeated event ids) are gone — the group commit below.
// - No torn or altered record is delivered: a torn tail is cut off and a record
//   that does not authenticate is skipped; both are counted (`torn`, `tampered`:
//   each event of a record GCM refuses, or 1 for a record whose CRC or header is
//   wrong, its count unknown). A record holds one turn's events (outbox-record.ts).
// - Bounded by bytes and age: the stored records never exceed `maxBytes`, and a
//   record older than `maxAgeMs` is dropped (`expired`) before it is sent. When
//   full, the oldest waiting record of the lowest class not above the newcomer's
//   goes (`queue_full`), else the newcomer: security events (event-priority.ts) last.
// - Every drop is counted by reason and class through the DropCounter (batches,
//   heartbeats, the local API, the log).
// - Batch sequences only grow, across restarts too (batch-sequence.ts).
// - Per-event sequence (Event.sequence): each event gets the next number as it is
//   stored (the record id, segment-store.ts), per agent from 1, with no gaps and
//   no repeats, across clean stops, SIGKILL and power loss:
//   · on open, the next number is one above the highest id in any segment, and
//     never below the newest segment's name. A segment is named by the first id it
//     will hold and the active one is always on disk (created, folder fsynced,
//     before older empty ones are deleted), so its name is the persisted
//     high-water mark when every record was acknowledged and deleted.
//   · no record is handed out in a batch before it is fsynced (`takeBatch` syncs
//     first). An append lost to power loss was therefore never sent, and the
//     number it had is given again after the restart without the manager ever
//     seeing it twice. A torn tail is such an append (its push never returned).
//   · gaps the manager may see are counted, never silent: an event evicted by the
//     bounds (`queue_full`, `expired`) or refused when full keeps its number
//     unsent, and an altered record (`tampered`) is skipped.
//
// Gathering: `push` keeps the event until the end of the turn (setImmediate), or
// until 512 are waiting, `takeBatch`, `stats` or `close`; then all are sealed into
// one record (one GCM seal, one protobuf encoding: per event these cost ~13 µs) and
// appended at once. A write the disk refuses drops those events, and an event too large
// for a record (> 4 MiB sealed) is refused alone; both are counted `write_failed`.
// Recent records' events are also kept in memory (up to HOT_BYTES of records), as the
// bytes they were sealed as (encoded-events.ts), so that sending them neither reads them
// back from disk nor encodes them again; what is sent after a restart or a broken stream
// is read from disk and authenticated.
//
// Group commit (fsync policy): appends and acks are written at once and fsynced
// together at most every `fsyncIntervalMs` (default 200 ms) while there are any,
// and on close. 0 means fsync after every append, i.e. each turn's events (the
// benchmark compares both).
import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { EventBatch, type Event } from '@wardwatch/proto';
import { BatchSequence } from './batch-sequence';
import { DropCounter, type DropReason } from './drop-counter';
import { decodeEventField, encodeBatch, type EventField } from './encoded-events';
import { eventPriority, priorities, type Priority } from './event-priority';
import { Fifo } from './fifo';
import type { EncodedBatch, Outbox, OutboxStats } from './outbox';
import { loadOrCreateKey, RecordSealer } from './record-sealer';
import type { AppendEntry } from './record-groups';
import type { RecoveryReport, StoredRecord } from './segment-scan';
import { SegmentStore } from './segment-store';

/** Events pushed in one turn beyond this are appended at once. */
const GATHER_MAX = 512;
/** Bytes of records (on disk) whose events are also kept in memory for sending. */
const HOT_BYTES = 2 * 1_048_576;

export interface DiskOutboxOptions {
  dir: string;
  sealer: RecordSealer;
  maxBytes: number;
  maxAgeMs: number;
  fsyncIntervalMs: number;
  segmentBytes?: number;
  drops?: DropCounter;
  now?: () => number;
  /** A failed fsync or removed.log write (the outbox carries on: at worst events are resent). */
  onError?: (error: unknown, action: string) => void;
}

interface InFlight {
  sequence: number;
  records: StoredRecord[];
  dropped: Record<string, number>;
}

export class DiskOutbox implements Outbox {
  readonly drops: DropCounter;
  readonly recovery: RecoveryReport;
  private readonly waiting: Record<Priority, Fifo<StoredRecord>> = {
    low: new Fifo(),
    normal: new Fifo(),
    high: new Fifo(),
  };
  private readonly inFlight: InFlight[] = [];
  private readonly store: SegmentStore;
  private readonly sequence: BatchSequence;
  private readonly now: () => number;
  private readonly syncTimer: NodeJS.Timeout | null = null;
  private storedBytes = 0;
  private storedCount = 0;
  private gathered: AppendEntry[] = [];
  private gatherTimer: NodeJS.Immediate | null = null;
  private readonly hot = new Map<number, EventField>();
  private hotBytes = 0;
  private sentTotal = 0;

  constructor(private readonly options: DiskOutboxOptions) {
    this.drops = options.drops ?? new DropCounter();
    this.now = options.now ?? Date.now;
    const opened = SegmentStore.open(options.dir, options.sealer, options.segmentBytes ?? 16 * 1_048_576);
    this.store = opened.store;
    this.recovery = opened.report;
    this.drops.countUnreadable('torn', opened.report.torn);
    this.drops.countUnreadable('tampered', opened.report.tampered);
    for (const record of opened.records) this.keep(record);
    this.sequence = new BatchSequence(options.dir, this.now);
    if (options.fsyncIntervalMs > 0) {
      this.syncTimer = setInterval(() => this.guard('fsync', () => this.store.sync()), options.fsyncIntervalMs);
      this.syncTimer.unref();
    }
  }

  push(event: Event): void {
    this.gathered.push({ event, priority: eventPriority(event), storedAtMs: this.now() });
    if (this.gathered.length >= GATHER_MAX) this.flush();
    else this.gatherTimer ??= setImmediate(() => this.flush());
  }

  /** Appends what this turn gathered (see "Gathering" above). */
  flush(): void {
    if (this.gatherTimer) clearImmediate(this.gatherTimer);
    this.gatherTimer = null;
    const entries = this.gathered;
    if (entries.length === 0) return;
    this.gathered = [];
    this.expire();
    const { stored, refused } = this.store.appendAll(entries);
    for (const { event, priority } of refused) this.drops.count('write_failed', priority, event);
    if (stored.length > 0 && this.options.fsyncIntervalMs === 0) this.guard('fsync', () => this.store.sync());
    for (const { record, entry, field } of stored) this.admit(record, entry.event, field);
  }

  hasWaiting(): boolean {
    return this.gathered.length > 0 || this.waitingCount() > 0 || this.drops.hasUnreported();
  }

  takeBatch(maxEvents: number): EventBatch | null {
    const taken = this.takeEncodedBatch(maxEvents);
    return taken && EventBatch.decode(taken.bytes);
  }

  takeEncodedBatch(maxEvents: number): EncodedBatch | null {
    this.flush();
    this.expire();
    if (!this.hasWaiting()) return null;
    const fields: EventField[] = [];
    const records: StoredRecord[] = [];
    for (const priority of [...priorities].reverse()) {
      const queue = this.waiting[priority];
      while (fields.length < maxEvents && queue.length > 0) {
        const record = queue.shift()!;
        const field = this.fieldOf(record);
        if (field) {
          fields.push(field);
          records.push(record);
        } else this.forget(record, () => this.drops.countUnreadable('tampered', 1));
      }
    }
    // Store before send, durably: what the manager may acknowledge survives power loss
    // (an unsynced append that was sent could otherwise lose its number to another event).
    if (records.length > 0 && this.options.fsyncIntervalMs > 0) this.guard('fsync', () => this.store.sync());
    const batch: InFlight = { sequence: this.sequence.next(), records, dropped: this.drops.takeForBatch() };
    this.inFlight.push(batch);
    return {
      sequence: batch.sequence,
      events: fields.length,
      bytes: encodeBatch(batch.sequence, batch.dropped, fields),
    };
  }

  ack(sequence: number): number {
    const released: StoredRecord[] = [];
    while (this.inFlight.length > 0 && this.inFlight[0].sequence <= sequence)
      for (const record of this.inFlight.shift()!.records) released.push(record);
    this.guard('remove', () => this.store.remove(released));
    for (const record of released) this.untrack(record);
    this.sentTotal += released.length;
    return released.length;
  }

  requeueInFlight(): void {
    const byPriority: Record<Priority, StoredRecord[]> = { low: [], normal: [], high: [] };
    for (const batch of this.inFlight) {
      for (const record of batch.records) byPriority[record.priority].push(record);
      this.drops.giveBack(batch.dropped);
    }
    for (const priority of priorities) this.waiting[priority].unshiftAll(byPriority[priority]);
    this.inFlight.length = 0;
  }

  /** Events of one class waiting to be batched (not counting those in flight). */
  waitingOf(priority: Priority): number {
    this.flush();
    return this.waiting[priority].length;
  }

  get inFlightBatches(): number {
    return this.inFlight.length;
  }

  stats(): OutboxStats {
    this.flush();
    return {
      queued: this.storedCount,
      inFlightBatches: this.inFlight.length,
      sent: this.sentTotal,
      dropped: this.drops.total,
      droppedByReason: this.drops.byKey(),
      storedBytes: this.storedBytes,
      lastSequence: this.store.lastId,
    };
  }

  close(): void {
    if (this.syncTimer) clearInterval(this.syncTimer);
    this.flush();
    this.requeueInFlight();
    this.store.close();
    this.sequence.close();
  }

  /** A newly stored event (`field`, `event` as pushed): within the bounds (dropping older ones, or it), then waiting. */
  private admit(record: StoredRecord, event: Event, field: EventField): void {
    while (this.storedBytes + record.bytes > this.options.maxBytes) {
      if (!this.dropOldest(priorities.indexOf(record.priority), 'queue_full')) {
        // Nothing of a class at or below the newcomer's is waiting: the newcomer goes.
        this.guard('remove', () => this.store.remove([record]));
        this.drops.count('queue_full', record.priority, event);
        return;
      }
    }
    this.keep(record);
    if (this.hotBytes + record.bytes <= HOT_BYTES) {
      this.hot.set(record.id, field);
      this.hotBytes += record.bytes;
    }
  }

  /** The event of a waiting record leaving the queue: from memory when kept there, else read back. */
  private fieldOf(record: StoredRecord): EventField | null {
    const field = this.hot.get(record.id);
    if (!field) return this.store.read(record);
    this.hot.delete(record.id);
    this.hotBytes -= record.bytes;
    return field;
  }

  private keep(record: StoredRecord): void {
    this.waiting[record.priority].push(record);
    this.storedBytes += record.bytes;
    this.storedCount += 1;
  }

  private untrack(record: StoredRecord): void {
    this.storedBytes -= record.bytes;
    this.storedCount -= 1;
  }

  /** Waiting records older than `maxAgeMs` go (the oldest wait at the head of each class). */
  private expire(): void {
    const cutoff = this.now() - this.options.maxAgeMs;
    for (const priority of priorities) {
      const queue = this.waiting[priority];
      while (queue.length > 0 && queue.peek()!.storedAtMs < cutoff) this.forgetCounted(queue.shift()!, 'expired');
    }
  }

  /** Drops the oldest waiting record of the lowest class up to `limit`; false when there is none. */
  private dropOldest(limit: number, reason: DropReason): boolean {
    for (let level = 0; level <= limit; level++) {
      const victim = this.waiting[priorities[level]].shift();
      if (victim) {
        this.forgetCounted(victim, reason);
        return true;
      }
    }
    return false;
  }

  /** Counts a drop under the record's class and category (from memory or disk, for the category). */
  private forgetCounted(record: StoredRecord, reason: DropReason): void {
    this.forget(record, () => {
      const field = this.fieldOf(record);
      this.drops.count(reason, record.priority, field && decodeEventField(field));
    });
  }

  private forget(record: StoredRecord, count: () => void): void {
    count();
    this.guard('remove', () => this.store.remove([record]));
    this.untrack(record);
  }

  private guard(action: string, run: () => void): void {
    try {
      run();
    } catch (error) {
      this.options.onError?.(error, action);
    }
  }

  private waitingCount(): number {
    return this.waiting.low.length + this.waiting.normal.length + this.waiting.high.length;
  }
}

export interface DiskOutboxSettings {
  maxBytes: number;
  maxAgeMs: number;
  fsyncIntervalMs: number;
}

/** The outbox folder under the data dir (0700) with its key file (0600, made on first start). */
export function openDiskOutbox(
  folder: string,
  settings: DiskOutboxSettings,
  drops: DropCounter,
  onError?: DiskOutboxOptions['onError'],
): DiskOutbox {
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  chmodSync(folder, 0o700);
  const sealer = new RecordSealer(loadOrCreateKey(join(folder, 'outbox.key')));
  return new DiskOutbox({ dir: folder, sealer, drops, onError, ...settings });
}
