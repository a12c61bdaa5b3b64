// New events, as they are committed, for live viewers (the dashboard's SSE stream).
import { Injectable, Optional, type BeforeApplicationShutdown } from '@nestjs/common';
import type { EventView } from '@wardwatch/shared';
import { defer, finalize, Observable, Subject, takeUntil } from 'rxjs';
import { ManagerMetrics } from '../metrics/manager-metrics';

@Injectable()
export class EventBus implements BeforeApplicationShutdown {
  private readonly events = new Subject<EventView>();
  private readonly closing = new Subject<void>();
  private viewers = 0;

  constructor(@Optional() metrics?: ManagerMetrics) {
    metrics?.observe('sseSubscribers', () => this.viewers);
  }

  /** Live viewers subscribed now. */
  get subscribers(): number {
    return this.viewers;
  }

  publish(events: EventView[]): void {
    for (const event of events) this.events.next(event);
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
