// Retention: events, risk scores and alerts older than their configured number of
// days are deleted (0 days: kept for ever). The audit log is never touched.
//
// Invariants:
// - a run deletes in batches of `batchSize` rows, each its own short transaction,
//   yielding between batches, so ingest never waits behind a large delete;
// - a run stops after MAX_BATCHES per kind and leaves the rest to the next run;
// - every run writes one audit row (`retention.run`) with what it deleted, even nothing.
import { Inject, Injectable } from '@nestjs/common';
import { AlertPurgeService } from '../alerts/alert-purge.service';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { MANAGER_CONFIG, type ManagerConfig, type RetentionConfig } from '../config/config.schema';
import { EventPurgeService } from '../events/event-purge.service';

const DAY_MS = 86_400_000;
export const MAX_BATCHES = 200;

export type RetainedKind = 'events' | 'scores' | 'alerts';
export type RetentionCounts = Record<RetainedKind, number>;

export interface RetentionRun {
  deleted: RetentionCounts;
  /** False when a kind hit MAX_BATCHES: older rows remain for the next run. */
  complete: boolean;
}

type DeleteBatch = (cutoffMs: number, limit: number) => Promise<number>;

@Injectable()
export class RetentionService {
  private readonly settings: RetentionConfig;

  constructor(
    private readonly events: EventPurgeService,
    private readonly alerts: AlertPurgeService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(MANAGER_CONFIG) config: Pick<ManagerConfig, 'retention'>,
  ) {
    this.settings = config.retention;
  }

  async runOnce(): Promise<RetentionRun> {
    const now = this.clock.now();
    const kinds: [RetainedKind, number, DeleteBatch][] = [
      ['events', this.settings.eventsDays, (c, n) => this.events.deleteBatch(c, n)],
      ['scores', this.settings.scoresDays, (c, n) => this.alerts.deleteScoreBatch(c, n)],
      ['alerts', this.settings.alertsDays, (c, n) => this.alerts.deleteAlertBatch(c, n)],
    ];
    const deleted: RetentionCounts = { events: 0, scores: 0, alerts: 0 };
    const cutoffs: Partial<Record<RetainedKind, number>> = {};
    let complete = true;
    for (const [kind, days, deleteBatch] of kinds) {
      if (days === 0) continue;
      cutoffs[kind] = now - days * DAY_MS;
      const drained = await this.drain(deleteBatch, cutoffs[kind]);
      deleted[kind] = drained.count;
      complete &&= drained.complete;
    }
    await this.audit.append({
      actor: 'system',
      action: 'retention.run',
      target: 'events,scores,alerts',
      details: {
        deleted,
        complete,
        cutoffs,
        days: {
          events: this.settings.eventsDays,
          scores: this.settings.scoresDays,
          alerts: this.settings.alertsDays,
        },
      },
    });
    return { deleted, complete };
  }

  private async drain(deleteBatch: DeleteBatch, cutoffMs: number): Promise<{ count: number; complete: boolean }> {
    let count = 0;
    for (let batch = 0; batch < MAX_BATCHES; batch += 1) {
      const n = await deleteBatch(cutoffMs, this.settings.batchSize);
      count += n;
      if (n < this.settings.batchSize) return { count, complete: true };
      // Let other work (an agent's batch, a page load) have the database between batches.
      await new Promise((resolve) => setImmediate(resolve));
    }
    return { count, complete: false };
  }
}
