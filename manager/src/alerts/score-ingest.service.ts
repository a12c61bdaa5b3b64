// Stores one ScoreBatch from an agent and raises its alerts in one transaction:
// each new score (an id seen before is a resend and changes nothing) is kept;
// one at or above its threshold opens an alert for its (agent, user, window), or
// updates the open one, and a newly raised alert is written to the audit log in
// the same transaction. The caller acknowledges the batch only after commit.
import { Injectable } from '@nestjs/common';
import type { ScoreBatch } from '@wardwatch/proto';
import { DataSource, In, type EntityManager, type QueryDeepPartialEntity } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Clock, RandomSource } from '../common/clock';
import { AlertEntity, RiskScoreEntity } from '../database/entities';
import { inTransaction } from '../database/transaction';
import { isAlerting, mergeAlertFields, newAlertFields, type ScoredAlertFields } from './score-alerts';
import { toScoreRecord, type ScoreRecord } from './score-record';

export interface ScoreIngestResult {
  stored: number;
  duplicates: number;
  rejected: { scoreId: string; reason: string }[];
  alertsRaised: number;
  alertsUpdated: number;
}

@Injectable()
export class ScoreIngestService {
  constructor(
    private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly random: RandomSource,
  ) {}

  async ingest(agentId: string, batch: ScoreBatch): Promise<ScoreIngestResult> {
    const receivedAt = this.clock.now();
    const records: ScoreRecord[] = [];
    const rejected: ScoreIngestResult['rejected'] = [];
    for (const score of batch.scores) {
      const check = toScoreRecord(score, agentId, receivedAt);
      if (check.ok) records.push(check.record);
      else rejected.push({ scoreId: String(score.id).slice(0, 64), reason: check.reason });
    }
    const outcome = await this.withRetry(() =>
      inTransaction(this.db, async (tx) => {
        const fresh = await this.onlyNew(tx, agentId, records);
        let alertsRaised = 0;
        let alertsUpdated = 0;
        const rows: (ScoreRecord & { alertId: string | null })[] = [];
        for (const record of fresh) {
          let alertId: string | null = null;
          if (isAlerting(record)) {
            const result = await this.raiseOrUpdate(tx, record);
            alertId = result.id;
            if (result.raised) alertsRaised += 1;
            else alertsUpdated += 1;
          }
          rows.push({ ...record, alertId });
        }
        if (rows.length > 0) await tx.createQueryBuilder().insert().into(RiskScoreEntity).values(rows).execute();
        return { stored: rows.length, alertsRaised, alertsUpdated };
      }),
    );
    return { ...outcome, duplicates: records.length - outcome.stored, rejected };
  }

  /**
   * The audit chain takes one writer at a time: on PostgreSQL two sessions raising alerts at once
   * collide on its head row and one transaction fails whole. Running it again is safe.
   */
  private async withRetry<T>(run: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await run();
      } catch (error) {
        if (attempt >= 5) throw error;
        await new Promise((resolve) => setTimeout(resolve, 5 * attempt * Math.random()));
      }
    }
  }

  /** Drops scores already stored (a resent batch) and repeats inside the batch. */
  private async onlyNew(tx: EntityManager, agentId: string, records: ScoreRecord[]): Promise<ScoreRecord[]> {
    if (records.length === 0) return [];
    const ids = [...new Set(records.map((r) => r.scoreId))];
    const known = await tx
      .getRepository(RiskScoreEntity)
      .find({ select: { scoreId: true }, where: { agentId, scoreId: In(ids) } });
    const seen = new Set(known.map((k) => k.scoreId));
    return records.filter((r) => !seen.has(r.scoreId) && seen.add(r.scoreId));
  }

  private async raiseOrUpdate(tx: EntityManager, record: ScoreRecord): Promise<{ id: string; raised: boolean }> {
    const repo = tx.getRepository(AlertEntity);
    const now = this.clock.now();
    const open = await repo.findOne({
      where: { agentId: record.agentId, user: record.user, windowStart: record.windowStart, status: 'open' },
    });
    if (open?.reasonDetails) {
      const current: ScoredAlertFields = {
        severity: open.severity,
        score: open.score,
        title: open.title,
        reasons: open.reasons,
        reasonDetails: open.reasonDetails,
        ruleIds: open.ruleIds ?? [],
        threshold: open.threshold ?? record.threshold,
        modelSource: open.modelSource ?? record.modelSource,
      };
      const merged = mergeAlertFields(current, record);
      await repo.update({ id: open.id }, { ...merged, updatedAt: now });
      return { id: open.id, raised: false };
    }
    const fields = newAlertFields(record);
    const id = this.random.uuid();
    const row = {
      id,
      agentId: record.agentId,
      createdAt: now,
      status: 'open' as const,
      eventIds: [],
      user: record.user,
      windowStart: record.windowStart,
      windowEnd: record.windowEnd,
      updatedAt: now,
      ...fields,
    };
    await tx.createQueryBuilder().insert().into(AlertEntity).values(row).execute();
    await this.audit.append(
      {
        actor: `agent:${record.agentId}`,
        action: 'alert.raise',
        target: id,
        details: {
          user: record.user,
          score: fields.score,
          threshold: record.threshold,
          severity: record.severity,
          rules: record.ruleIds,
          windowStart: record.windowStart,
        },
      },
      tx,
    );
    return { id, raised: true };
  }
}
