// New events, as they are committed, for live viewers (the dashboard's SSE stream)
// and for in-memory consumers that must see every stored event (incidents/).
import { Injectable, Optional, type BeforeApplicationShutdown } from '@nestjs/common';
import type { EventView } from '@wardwatch/shared';
import { defer, finalize, Observable, Subject, takeUntil } from 'rxjs';
import { ManagerMetrics } from '../metrics/manager-metrics';

@Injectable()
export class EventBus implements BeforeApplicationShutdown {
  private readonly events = new Subject<EventView>();
  private readonly closing = new Subject<void>();
  private viewers = 0;
  private readonly consumers: ((events: readonly EventView[]) => void)[] = [];

  constructor(@Optional() metrics?: ManagerMetrics) {
    metrics?.observe('sseSubscribers', () => this.viewers);
  }

  /** Live viewers subscribed now. */
  get subscribers(): number {
    return this.viewers;
  }

  publish(events: EventView[]): void {
    for (const consume of this.consumers) consume(events);
    for (const event of events) this.events.next(event);
  }

  /**
   * Hands every committed batch to `consume`, synchronously on the ingest path: it must
   * be cheap (memory only) and must not throw. Not counted as a live viewer.
   */
  onCommitted(consume: (events: readonly EventView[]) => void): void {
    this.consumers.push(consume);
  }

  /** Completes when the manager shuts down, so that open SSE responses end and the HTTP server can close. */
  stream(): Observable<EventView> {
    return defer(() => {
      this.viewers += 1;
      return this.events.pipe(
        takeUntil(this.closing),
        finalize(() => (this.viewers -= 1)),
      );
    });
  }

  beforeApplicationShutdown(): void {
    this.closing.next();
    this.closing.complete();
  }
}
