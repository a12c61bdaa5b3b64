// Sits between the collectors and the event pipeline: each event is passed on
// first (collection and sending never wait for scoring), then scored with its
// clear values — before pseudonymisation, since scoring is local.
import type { Event } from '@wardwatch/proto';
import type { EventSink } from '../collectors/collector';

export interface EventScorer {
  observe(event: Event): void;
}

export class ScoringSink implements EventSink {
  constructor(
    private readonly next: EventSink,
    private readonly scorer: EventScorer,
  ) {}

  emit(event: Event): void {
    this.next.emit(event);
    this.scorer.observe(event);
  }

  parseError(collector: string, reason: string): void {
    this.next.parseError(collector, reason);
  }

  overLimit(event: Event): void {
    this.next.overLimit?.(event);
  }
}
