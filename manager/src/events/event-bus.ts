// New events, as they are committed, for live viewers (the dashboard's SSE stream).
import { Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import type { EventView } from '@wardwatch/shared';
import { Observable, Subject, takeUntil } from 'rxjs';

@Injectable()
export class EventBus implements BeforeApplicationShutdown {
  private readonly events = new Subject<EventView>();
  private readonly closing = new Subject<void>();

  publish(events: EventView[]): void {
    for (const event of events) this.events.next(event);
  }

  /** Completes when the manager shuts down, so that open SSE responses end and the HTTP server can close. */
  stream(): Observable<EventView> {
    return this.events.pipe(takeUntil(this.closing));
  }

  beforeApplicationShutdown(): void {
    this.closing.next();
    this.closing.complete();
  }
}
