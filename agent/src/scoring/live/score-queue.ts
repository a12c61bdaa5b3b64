// Scores waiting for the manager's acknowledgement, beside (not inside) the event
// outbox. Invariants:
//  - a score leaves the queue only when a ScoreAck covers the batch that carried it;
//  - batches are numbered in send order; an ack of n releases every batch ≤ n
//    (the manager stores them in order);
//  - when the stream breaks, batches in flight go back to the front, in order;
//  - bounded: when full, the oldest score below the alert threshold goes first,
//    else the oldest; every drop is counted.
import type { Score, ScoreBatch } from '@wardwatch/proto';

export interface ScoreQueueStats {
  queued: number;
  inFlight: number;
  sent: number;
  dropped: number;
}

export class ScoreQueue {
  private waiting: Score[] = [];
  private readonly inFlight = new Map<number, Score[]>();
  private sequence = 0;
  private sent = 0;
  private dropped = 0;

  constructor(private readonly capacity = 5_000) {}

  push(score: Score): void {
    if (this.size() >= this.capacity) this.dropOne();
    this.waiting.push(score);
  }

  hasWaiting(): boolean {
    return this.waiting.length > 0;
  }

  get inFlightBatches(): number {
    return this.inFlight.size;
  }

  takeBatch(max: number): ScoreBatch | null {
    if (this.waiting.length === 0) return null;
    const scores = this.waiting.splice(0, max);
    this.sequence += 1;
    this.inFlight.set(this.sequence, scores);
    return { sequence: this.sequence, scores };
  }

  /** Releases every batch up to `sequence`; returns how many scores that was. */
  ack(sequence: number): number {
    let released = 0;
    for (const [seq, scores] of this.inFlight) {
      if (seq > sequence) continue;
      released += scores.length;
      this.inFlight.delete(seq);
    }
    this.sent += released;
    return released;
  }

  requeueInFlight(): void {
    const batches = [...this.inFlight.entries()].sort((a, b) => a[0] - b[0]).flatMap(([, scores]) => scores);
    this.inFlight.clear();
    this.waiting = [...batches, ...this.waiting];
  }

  /** Everything not yet acknowledged, oldest first (saved at shutdown). */
  unacknowledged(): Score[] {
    return [
      ...[...this.inFlight.entries()].sort((a, b) => a[0] - b[0]).flatMap(([, scores]) => scores),
      ...this.waiting,
    ];
  }

  stats(): ScoreQueueStats {
    return {
      queued: this.waiting.length,
      inFlight: [...this.inFlight.values()].reduce((n, s) => n + s.length, 0),
      sent: this.sent,
      dropped: this.dropped,
    };
  }

  private size(): number {
    return this.waiting.length + this.stats().inFlight;
  }

  private dropOne(): void {
    const benign = this.waiting.findIndex((s) => s.score < s.threshold);
    const index = benign >= 0 ? benign : 0;
    if (this.waiting.length === 0) return; // everything is in flight: let it grow by one rather than lose sent data
    this.waiting.splice(index, 1);
    this.dropped += 1;
  }
}
