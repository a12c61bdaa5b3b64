// Deletes old events for retention, one bounded batch per transaction, so that
// ingest's transactions interleave with a large purge instead of waiting for it.
import { Injectable } from '@nestjs/common';
import { TransactionRunner } from '../database/transaction.runner';
import { EventRepository } from './event.repository';

@Injectable()
export class EventPurgeService {
  constructor(
    private readonly events: EventRepository,
    private readonly transactions: TransactionRunner,
  ) {}

  /** Deletes up to `limit` events received before `cutoffMs`; returns how many. */
  deleteBatch(cutoffMs: number, limit: number): Promise<number> {
    return this.transactions.run((tx) => this.events.deleteReceivedBefore(cutoffMs, limit, tx));
  }
}
