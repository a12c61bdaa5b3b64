// Stores one ScoreBatch from an agent and raises its alerts in one transaction:
// each new score (an id seen before is a resend and changes nothing) is kept; one
// at or above the manager's threshold (WARDWATCH_ALERT_THRESHOLD, never the one the
// agent sends) opens an alert for its (agent, user, window), or updates the open one,
// through AlertService (which audits it in the same transaction). The caller
// acknowledges the batch only after commit.
import { Inject, Injectable } from '@nestjs/common';
import type { ScoreBatch } from '@wardwatch/proto';
import { Clock } from '../common/clock';
import { MANAGER_CONFIG, type ManagerConfig } from '../config/config.schema';
import { TransactionRunner, type Tx } from '../database/transaction.runner';
import { refuseClearScore } from '../pseudonym-fields/pseudonym-fields';
import { AlertService, type AlertNotice } from './alert.service';
import { RiskScoreRepository } from './risk-score.repository';
import { isAlerting } from './score-alerts';
import { toScoreRecord, type ScoreRecord } from './score-record';

export interface ScoreIngestResult {
  stored: number;
  duplicates: number;
  /** `code` 'clear_value': its user or a reason names someone, a path or an address in clear. */
  rejected: { scoreId: string; reason: string; code?: 'clear_value' }[];
  alertsRaised: number;
  alertsUpdated: number;
}

@Injectable()
export class ScoreIngestService {
  constructor(
    private readonly scores: RiskScoreRepository,
    private readonly alerts: AlertService,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    @Inject(MANAGER_CONFIG) private readonly config: Pick<ManagerConfig, 'alerts'>,
  ) {}

  private readonly storedListeners: ((agentId: string) => void)[] = [];

  /**
   * Hears of each batch that stored new scores, after commit (policies/ re-reads the
   * agent's risk for its tier). A listener must not throw and returns at once.
   */
  onStored(listener: (agentId: string) => void): void {
    this.storedListeners.push(listener);
  }

  async ingest(agentId: string, batch: ScoreBatch): Promise<ScoreIngestResult> {
    const receivedAt = this.clock.now();
    const records: ScoreRecord[] = [];
    const rejected: ScoreIngestResult['rejected'] = [];
    for (const score of batch.scores) {
      const clear = refuseClearScore(score);
      const check = clear ?? toScoreRecord(score, agentId, receivedAt);
      if (check.ok) records.push(check.record);
      else
        rejected.push({
          scoreId: String(score.id).slice(0, 64),
          reason: check.reason,
          ...(clear && { code: clear.code }),
        });
    }
    const outcome = await this.transactions.run(async (tx) => {
      const fresh = await this.onlyNew(tx, agentId, records);
      let alertsRaised = 0;
      let alertsUpdated = 0;
      const rows: (ScoreRecord & { alertId: string | null })[] = [];
      const notices: AlertNotice[] = [];
      for (const record of fresh) {
        let alertId: string | null = null;
        if (isAlerting(record, this.config.alerts.threshold)) {
          const result = await this.alerts.raiseForScore(record, this.config.alerts.threshold, tx);
          alertId = result.id;
          notices.push({ alertId, agentId, raised: result.raised });
          if (result.raised) alertsRaised += 1;
          else alertsUpdated += 1;
        }
        rows.push({ ...record, alertId });
      }
      await this.scores.insert(rows, tx);
      return { stored: rows.length, alertsRaised, alertsUpdated, notices };
    });
    this.alerts.announce(outcome.notices);
    if (outcome.stored > 0) for (const listener of this.storedListeners) listener(agentId);
    const { notices: _announced, ...counts } = outcome;
    return { ...counts, duplicates: records.length - outcome.stored, rejected };
  }

  /** Drops scores already stored (a resent batch) and repeats inside the batch. */
  private async onlyNew(tx: Tx, agentId: string, records: ScoreRecord[]): Promise<ScoreRecord[]> {
    const seen = await this.scores.knownIds(agentId, [...new Set(records.map((r) => r.scoreId))], tx);
    return records.filter((r) => !seen.has(r.scoreId) && seen.add(r.scoreId));
  }
}
