// An EventSink that sits in front of another and passes everything on: the sinks that
// look at events on their way (attribution, scoring, the version store) override `emit`
// only, so a new kind of report from the collectors reaches the pipeline through all of them.
import type { Event } from '@wardwatch/proto';
import type { EventSink } from './collector';

export abstract class ForwardingSink implements EventSink {
  constructor(protected readonly next: EventSink) {}

  abstract emit(event: Event): void;

  parseError(collector: string, reason: string): void {
    this.next.parseError(collector, reason);
  }

  overLimit(event: Event): void {
    this.next.overLimit?.(event);
  }
}
