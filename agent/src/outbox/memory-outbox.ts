// The agent's outbox: events wait here from the pipeline until the manager
// acknowledges the batch that carried them.
//
// Invariants:
// - An event leaves the outbox only when a batch containing it is acknowledged
//   (Ack.sequence >= batch sequence) or when it is dropped by the budget.
// - Every drop is counted: by reason in the next batch's `dropped` map and in the
//   running total, under `<reason>.<class>.<category>` (see drop-counter.ts).
//   A batch that is never acknowledged hands its counts back. The budget
//   (event-budget.ts) counts its refusals into the same DropCounter.
// - At most `capacity` events are held (waiting + in flight). When full, the
//   oldest event of the lowest priority present goes first, and only if it is not
//   of higher priority than the newcomer; otherwise the newcomer is dropped.
// - Unacknowledged batches are re-queued in order when the stream breaks and
//   resent in new batches; the manager ignores repeated event ids.
// - Sequence numbers only grow within a process; they start at the wall clock in
//   ms so that they also grow across restarts.
// - Events are numbered (Event.sequence) from 1 as they are pushed, like the
//   DiskOutbox does, but only within the process.
// - Memory only: events still waiting are lost when the process stops. The
//   running agent uses the DiskOutbox (disk-outbox.ts); this one serves tests.
import { EventBatch, type Event } from '@wardwatch/proto';
import { DropCounter } from './drop-counter';
import { eventPriority, priorities, type Priority } from './event-priority';
import { Fifo } from './fifo';
import type { EncodedBatch, Outbox, OutboxStats } from './outbox';

export interface OutboxOptions {
  capacity: number;
  firstSequence?: number;
  /** Shared with the budget so that every drop is reported in one place. */
  drops?: DropCounter;
}

interface InFlight {
  sequence: number;
  events: Event[];
  dropped: Record<string, number>;
}

export class MemoryOutbox implements Outbox {
  private readonly waiting: Record<Priority, Fifo<Event>> = { low: new Fifo(), normal: new Fifo(), high: new Fifo() };
  private readonly inFlight: InFlight[] = [];
  private inFlightEvents = 0;
  private nextSequence: number;
  private sentTotal = 0;
  private lastSequence = 0;
  readonly drops: DropCounter;

  constructor(private readonly options: OutboxOptions) {
    if (options.capacity < 1) throw new RangeError('outbox capacity must be at least 1');
    this.nextSequence = options.firstSequence ?? Date.now();
    this.drops = options.drops ?? new DropCounter();
  }

  push(pushed: Event): void {
    const event = { ...pushed, sequence: ++this.lastSequence };
    const priority = eventPriority(event);
    if (this.size() >= this.options.capacity && !this.makeRoomFor(priority)) {
      this.drops.count('queue_full', priority, event);
      return;
    }
    this.waiting[priority].push(event);
  }

  /** True when a batch can be taken (events waiting, or drops still to report). */
  hasWaiting(): boolean {
    return this.waitingCount() > 0 || this.drops.hasUnreported();
  }

  /** Takes up to `maxEvents` waiting events, highest priority first, into a new batch in flight. */
  takeBatch(maxEvents: number): EventBatch | null {
    if (!this.hasWaiting()) return null;
    const events: Event[] = [];
    for (const priority of [...priorities].reverse()) {
      const queue = this.waiting[priority];
      while (events.length < maxEvents && queue.length > 0) events.push(queue.shift()!);
    }
    const batch: InFlight = { sequence: this.nextSequence++, events, dropped: this.drops.takeForBatch() };
    this.inFlight.push(batch);
    this.inFlightEvents += events.length;
    return { sequence: batch.sequence, events, dropped: { ...batch.dropped } };
  }

  takeEncodedBatch(maxEvents: number): EncodedBatch | null {
    const batch = this.takeBatch(maxEvents);
    return batch && { sequence: batch.sequence, events: batch.events.length, bytes: EventBatch.encode(batch).finish() };
  }

  /** The manager stored everything up to and including `sequence`. Returns the events released. */
  ack(sequence: number): number {
    let released = 0;
    while (this.inFlight.length > 0 && this.inFlight[0].sequence <= sequence) {
      const batch = this.inFlight.shift()!;
      released += batch.events.length;
    }
    this.inFlightEvents -= released;
    this.sentTotal += released;
    return released;
  }

  /** The stream broke: everything in flight waits again, in its original order, ahead of newer events. */
  requeueInFlight(): void {
    const byPriority: Record<Priority, Event[]> = { low: [], normal: [], high: [] };
    for (const batch of this.inFlight) {
      for (const event of batch.events) byPriority[eventPriority(event)].push(event);
      this.drops.giveBack(batch.dropped);
    }
    for (const priority of priorities) this.waiting[priority].unshiftAll(byPriority[priority]);
    this.inFlight.length = 0;
    this.inFlightEvents = 0;
  }

  /** Events of one class waiting to be batched (not counting those in flight). */
  waitingOf(priority: Priority): number {
    return this.waiting[priority].length;
  }

  get inFlightBatches(): number {
    return this.inFlight.length;
  }

  stats(): OutboxStats {
    return {
      queued: this.size(),
      inFlightBatches: this.inFlight.length,
      sent: this.sentTotal,
      dropped: this.drops.total,
      droppedByReason: this.drops.byKey(),
      lastSequence: this.lastSequence,
    };
  }

  close(): void {
    // Nothing to release: what is still queued is lost with the process.
  }

  private size(): number {
    return this.waitingCount() + this.inFlightEvents;
  }

  private waitingCount(): number {
    return this.waiting.low.length + this.waiting.normal.length + this.waiting.high.length;
  }

  /** Drops the oldest waiting event of the lowest priority not above the newcomer's. */
  private makeRoomFor(priority: Priority): boolean {
    const limit = priorities.indexOf(priority);
    for (let level = 0; level <= limit; level++) {
      const victim = this.waiting[priorities[level]].shift();
      if (victim) {
        this.drops.count('queue_full', priorities[level], victim);
        return true;
      }
    }
    return false;
  }
}
