// What the pipeline, the session and the runtime need from an outbox. Two
// implementations: `DiskOutbox` (the running agent: stored before it is sent,
// survives restarts) and `MemoryOutbox` (tests of the parts around it).
import type { Event, EventBatch } from '@wardwatch/proto';
import type { DropCounter } from './drop-counter';

export interface OutboxStats {
  /** Events waiting or in flight. */
  queued: number;
  inFlightBatches: number;
  /** Events whose batch was acknowledged. */
  sent: number;
  dropped: number;
  /** Running drop totals by `<reason>.<class>.<category>`. */
  droppedByReason: Record<string, number>;
  /** Bytes held on disk (absent for the memory outbox). */
  storedBytes?: number;
  /** Event.sequence of the newest event accepted (stored), 0 before the first; survives restarts on disk. */
  lastSequence: number;
}

/** A batch as it goes on the wire: an encoded EventBatch (encoded-events.ts). */
export interface EncodedBatch {
  sequence: number;
  /** Events it carries. */
  events: number;
  bytes: Uint8Array;
}

export interface Outbox {
  readonly drops: DropCounter;
  /** Queues one (pseudonymised) event; may drop it or an older one when full (counted). */
  push(event: Event): void;
  /** True when a batch can be taken (events waiting, or drops still to report). */
  hasWaiting(): boolean;
  /** Takes up to `maxEvents` waiting events, highest priority first, into a new batch in flight. */
  takeBatch(maxEvents: number): EventBatch | null;
  /** `takeBatch`, encoded: what the session sends (the disk outbox never decodes its events to send them). */
  takeEncodedBatch(maxEvents: number): EncodedBatch | null;
  /** The manager stored everything up to and including `sequence`. Returns the events released. */
  ack(sequence: number): number;
  /** The stream broke: everything in flight waits again and is resent. */
  requeueInFlight(): void;
  readonly inFlightBatches: number;
  stats(): OutboxStats;
  /** Makes everything durable and releases files; the outbox is unusable afterwards. */
  close(): void;
}
