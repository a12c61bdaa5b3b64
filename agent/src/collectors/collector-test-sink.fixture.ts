// An EventSink that keeps what it is given, for collector tests, and waits for it.
import type { Event } from '@wardwatch/proto';
import type { EventSink } from './collector';

export class RecordingSink implements EventSink {
  readonly events: Event[] = [];
  readonly errors: { collector: string; reason: string }[] = [];
  /** Events held back at the collector's own bound. */
  readonly overLimits: Event[] = [];

  emit(event: Event): void {
    this.events.push(event);
  }

  parseError(collector: string, reason: string): void {
    this.errors.push({ collector, reason });
  }

  overLimit(event: Event): void {
    this.overLimits.push(event);
  }

  async waitFor<T>(find: (sink: this) => T | undefined, what: string, timeoutMs = 5_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = find(this);
      if (found !== undefined) return found;
      if (Date.now() > deadline)
        throw new Error(
          `timed out waiting for ${what}; got ${JSON.stringify(this.events.map((e) => e.detail?.value))}`,
        );
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}
