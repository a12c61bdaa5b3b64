// Sits between the collectors and the event pipeline: each event is passed on
// first (collection and sending never wait for scoring), then scored with its
// clear values — before pseudonymisation, since scoring is local.
import type { Event } from '@wardwatch/proto';
import type { EventSink } from '../collectors/collector';
import { ForwardingSink } from '../collectors/forwarding-sink';

export interface EventScorer {
  observe(event: Event): void;
}

export class ScoringSink extends ForwardingSink {
  constructor(
    next: EventSink,
    private readonly scorer: EventScorer,
  ) {
    super(next);
  }

  emit(event: Event): void {
    this.next.emit(event);
    this.scorer.observe(event);
  }
}
