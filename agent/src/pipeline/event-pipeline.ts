// Collectors → pseudonymise → outbox. This is the EventSink every collector
// writes to, and the only way an event reaches the outbox: nothing in clear can
// be queued for the manager by accident. In OPRF mode an event one of whose values
// has no token yet waits in `pending` (clear, on the workstation only) and is
// pseudonymised again when the tokens arrive (`release`).
import type { Event } from '@wardwatch/proto';
import type { EventSink } from '../collectors/collector';
import type { Logger } from '../logging/logger';
import type { DropCounter } from '../outbox/drop-counter';
import type { EventBudget } from '../outbox/event-budget';
import { eventPriority } from '../outbox/event-priority';
import type { Outbox } from '../outbox/outbox';
import { pseudonymizeEvent } from '../pseudonymize/pseudonymize-event';
import type { Pseudonymizer } from '../pseudonymize/pseudonymizer';
import type { StatusTracker } from '../status/status-tracker';
import type { PendingEvents } from '../pseudonymize/oprf/pending-events';
import type { RecentEvents } from './recent-events';

export interface PipelineDeps {
  pseudonymizer: Pseudonymizer;
  outbox: Outbox;
  /** Refused events are counted there and go no further (not even pseudonymised). */
  budget?: EventBudget;
  /** Where events a collector held back at its own bound are counted (the budget's and outbox's counter). */
  drops?: DropCounter;
  recent: RecentEvents;
  status: StatusTracker;
  logger: Logger;
  /** Called after an event is queued (the session batches and sends it). */
  onQueued(): void;
  /** OPRF mode: events waiting for tokens. Without it every value must have a token (local-key mode). */
  pending?: PendingEvents;
}

export class EventPipeline implements EventSink {
  private readonly parseErrors = new Map<string, number>();

  constructor(private readonly deps: PipelineDeps) {}

  emit(event: Event): void {
    if (this.deps.budget && !this.deps.budget.admit(event)) return;
    if (this.queue(event)) return;
    if (this.deps.pending) this.deps.pending.add(event);
    else throw new Error('a pseudonym is missing and no pending queue is configured');
  }

  /** Queues the waiting events whose tokens have all arrived; how many left the wait. */
  release(): number {
    return this.deps.pending?.release((event) => this.queue(event)) ?? 0;
  }

  /** Pseudonymises and queues `event` when every value has its token; false (nothing queued) otherwise. */
  private queue(event: Event): boolean {
    const p = this.deps.pseudonymizer;
    const missesBefore = p.misses;
    const safe = pseudonymizeEvent(event, p);
    if (p.misses !== missesBefore) return false;
    this.deps.outbox.push(safe);
    this.deps.recent.add(safe);
    this.deps.status.eventCollected();
    this.deps.onQueued();
    return true;
  }

  overLimit(event: Event): void {
    this.deps.drops?.count('over_limit', eventPriority(event), event);
  }

  parseError(collector: string, reason: string): void {
    const count = (this.parseErrors.get(collector) ?? 0) + 1;
    this.parseErrors.set(collector, count);
    // The first and then every 100th: visible without letting a noisy log flood ours.
    // The reason names the defect, never the line (it may name a person).
    if (count === 1 || count % 100 === 0)
      this.deps.logger.warn('unreadable input counted', { collector, reason, count });
  }
}
