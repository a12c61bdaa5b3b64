// Stores one batch from an agent: validate each event, insert the new ones and
// raise their alerts (audited by AlertService) in one transaction, then publish
// them to live viewers. The caller acknowledges the batch only after this resolves
// (after commit).
import { Injectable } from '@nestjs/common';
import type { EventBatch } from '@wardwatch/proto';
import { AlertService } from '../alerts/alert.service';
import { Clock } from '../common/clock';
import { TransactionRunner } from '../database/transaction.runner';
import { ManagerMetrics } from '../metrics/manager-metrics';
import { alertsFor } from './event-alert.rule';
import { EventBus } from './event-bus';
import { toEventRecord, type EventRecord } from './event-record';
import { toEventView } from './event-view.mapper';
import { EventRepository } from './event.repository';

export interface IngestResult {
  stored: number;
  duplicates: number;
  rejected: { eventId: string; reason: string }[];
  alerts: number;
}

@Injectable()
export class EventIngestService {
  constructor(
    private readonly events: EventRepository,
    private readonly transactions: TransactionRunner,
    private readonly alerts: AlertService,
    private readonly bus: EventBus,
    private readonly clock: Clock,
    private readonly metrics: ManagerMetrics,
  ) {}

  async ingest(agentId: string, hostname: string, batch: EventBatch): Promise<IngestResult> {
    const measured = this.metrics.startBatch();
    const receivedMs = this.clock.now();
    const records: EventRecord[] = [];
    const rejected: IngestResult['rejected'] = [];
    for (const event of batch.events) {
      const result = toEventRecord(event, agentId, hostname, receivedMs);
      if (result.ok) records.push(result.record);
      else rejected.push({ eventId: String(event.id).slice(0, 64), reason: result.reason });
    }
    const { fresh, alerts } = await this.transactions
      .run(async (tx) => {
        const fresh = await this.events.insertNew(records, tx);
        const alerts = await this.alerts.raise(alertsFor(fresh), tx);
        return { fresh, alerts };
      })
      .catch((error: unknown) => {
        measured('failed');
        throw error;
      });
    measured({ stored: fresh.length, duplicates: records.length - fresh.length, rejected: rejected.length });
    this.metrics.agentDropped(batch.dropped);
    this.bus.publish(fresh.map(toEventView));
    return { stored: fresh.length, duplicates: records.length - fresh.length, rejected, alerts };
  }
}
