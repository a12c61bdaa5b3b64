// Stores one batch from an agent: validate each event, insert the new ones and
// raise their alerts in one transaction, then publish them to live viewers.
// The caller acknowledges the batch only after this resolves (after commit).
import { inTransaction } from '../database/transaction';
import { Injectable } from '@nestjs/common';
import type { EventBatch } from '@wardwatch/proto';
import { DataSource } from 'typeorm';
import { alertsFor } from '../alerts/alert-rules';
import { AlertService } from '../alerts/alert.service';
import { Clock } from '../common/clock';
import { EventBus } from './event-bus';
import { toEventRecord, type EventRecord } from './event-record';
import { EventRepository } from './event.repository';
import { toEventView } from './event-view.mapper';

export interface IngestResult {
  stored: number;
  duplicates: number;
  rejected: { eventId: string; reason: string }[];
  alerts: number;
}

@Injectable()
export class EventIngestService {
  constructor(
    private readonly db: DataSource,
    private readonly events: EventRepository,
    private readonly alerts: AlertService,
    private readonly bus: EventBus,
    private readonly clock: Clock,
  ) {}

  async ingest(agentId: string, hostname: string, batch: EventBatch): Promise<IngestResult> {
    const receivedMs = this.clock.now();
    const records: EventRecord[] = [];
    const rejected: IngestResult['rejected'] = [];
    for (const event of batch.events) {
      const result = toEventRecord(event, agentId, hostname, receivedMs);
      if (result.ok) records.push(result.record);
      else rejected.push({ eventId: String(event.id).slice(0, 64), reason: result.reason });
    }
    const { fresh, alerts } = await inTransaction(this.db, async (tx) => {
      const fresh = await this.events.insertNew(tx, records);
      const alerts = await this.alerts.raise(tx, alertsFor(fresh));
      return { fresh, alerts };
    });
    this.bus.publish(fresh.map(toEventView));
    return { stored: fresh.length, duplicates: records.length - fresh.length, rejected, alerts };
  }
}
