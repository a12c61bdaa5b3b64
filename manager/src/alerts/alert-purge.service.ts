// Deletes old risk scores and alerts for retention, one bounded batch per
// transaction. An alert goes when neither it was raised nor a later score updated
// it since the cutoff, whatever its status (and its verdict), with its comments.
import { Injectable } from '@nestjs/common';
import { TransactionRunner } from '../database/transaction.runner';
import { AlertCommentRepository } from './alert-comment.repository';
import { AlertRepository } from './alert.repository';
import { RiskScoreRepository } from './risk-score.repository';

@Injectable()
export class AlertPurgeService {
  constructor(
    private readonly alerts: AlertRepository,
    private readonly scores: RiskScoreRepository,
    private readonly transactions: TransactionRunner,
    private readonly comments: AlertCommentRepository,
  ) {}

  /** Deletes up to `limit` scores received before `cutoffMs`; returns how many. */
  deleteScoreBatch(cutoffMs: number, limit: number): Promise<number> {
    return this.transactions.run((tx) => this.scores.deleteReceivedBefore(cutoffMs, limit, tx));
  }

  /** Deletes up to `limit` alerts untouched since `cutoffMs`, then up to `limit` comments left without an alert; returns how many alerts. */
  deleteAlertBatch(cutoffMs: number, limit: number): Promise<number> {
    return this.transactions.run(async (tx) => {
      const deleted = await this.alerts.deleteUntouchedSince(cutoffMs, limit, tx);
      await this.comments.deleteOrphans(limit, tx);
      return deleted;
    });
  }
}
