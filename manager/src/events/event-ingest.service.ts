// Stores one batch from an agent: validate each event, insert the new ones in one
// transaction, then publish them to live viewers. The caller acknowledges the batch
// only after this resolves (after commit).
//
// No alert is raised here: the severity an agent gives an event is its claim, and a
// workstation must not decide what alerts the manager raises or how severe they are.
// Alerts come from risk scores judged against the manager's own threshold
// (alerts/score-ingest.service.ts).
import { Inject, Injectable } from '@nestjs/common';
import type { EventBatch } from '@wardwatch/proto';
import { Clock } from '../common/clock';
import { MANAGER_CONFIG, type ManagerConfig } from '../config/config.schema';
import { TransactionRunner } from '../database/transaction.runner';
import { ManagerMetrics } from '../metrics/manager-metrics';
import { refuseClearEvent } from '../pseudonym-fields/pseudonym-fields';
import { EventBus } from './event-bus';
import { toEventRecord, type EventRecord } from './event-record';
import { toEventView } from './event-view.mapper';
import { EventRepository } from './event.repository';

export interface IngestResult {
  stored: number;
  duplicates: number;
  /** `code` 'event_time' when only the event's time was out of the window; 'clear_value': a name, path or address in clear. */
  rejected: { eventId: string; reason: string; code?: 'event_time' | 'clear_value' }[];
}

@Injectable()
export class EventIngestService {
  constructor(
    private readonly events: EventRepository,
    private readonly transactions: TransactionRunner,
    private readonly bus: EventBus,
    private readonly clock: Clock,
    private readonly metrics: ManagerMetrics,
    @Inject(MANAGER_CONFIG) private readonly config: Pick<ManagerConfig, 'intake'>,
  ) {}

  async ingest(agentId: string, hostname: string, batch: EventBatch): Promise<IngestResult> {
    const measured = this.metrics.startBatch();
    const receivedMs = this.clock.now();
    const records: EventRecord[] = [];
    const rejected: IngestResult['rejected'] = [];
    for (const event of batch.events) {
      const result = refuseClearEvent(event) ?? toEventRecord(event, agentId, hostname, receivedMs, this.config.intake);
      if (result.ok) records.push(result.record);
      else
        rejected.push({
          eventId: String(event.id).slice(0, 64),
          reason: result.reason,
          ...(result.code ? { code: result.code } : {}),
        });
    }
    const fresh = await this.transactions
      .run((tx) => this.events.insertNew(records, tx))
      .catch((error: unknown) => {
        measured('failed');
        throw error;
      });
    measured({ stored: fresh.length, duplicates: records.length - fresh.length, rejected: rejected.length });
    this.metrics.agentDropped(batch.dropped);
    this.bus.publish(fresh.map(toEventView));
    return { stored: fresh.length, duplicates: records.length - fresh.length, rejected };
  }
}
