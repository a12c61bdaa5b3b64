// The analysts' verdicts on agents' scores: each risk score linked to an alert (alert_id) that
// was closed with a verdict. Read through idx_risk_score_alert (alert_id, agent_id) from the
// alert's side; the alert's verdict and close time come from the alert row.
import { Injectable } from '@nestjs/common';
import type { AlertVerdict } from '@wardwatch/shared';
import { DataSource, type SelectQueryBuilder } from 'typeorm';
import { AlertEntity } from '../alert.entity';
import { RiskScoreEntity } from '../risk-score.entity';

/** One score of one agent and the verdict its alert was closed with. */
export interface ScoreVerdictRow {
  agentId: string;
  scoreId: string;
  user: string;
  windowStart: number;
  verdict: AlertVerdict;
  decidedAt: number;
}

interface RawRow {
  agentId: string;
  scoreId: string;
  user: string;
  windowStart: string | number;
  verdict: AlertVerdict;
  decidedAt: string | number;
}

@Injectable()
export class ScoreVerdictRepository {
  constructor(private readonly db: DataSource) {}

  /** The scores linked to one alert, if it has a verdict (one row per score, any agent). */
  async forAlert(alertId: string): Promise<ScoreVerdictRow[]> {
    const rows = await this.query().andWhere('a.id = :alertId', { alertId }).getRawMany<RawRow>();
    return rows.map(toRow);
  }

  /** One agent's scored windows whose alert was closed with a verdict at or after `sinceMs`, newest decision first. */
  async recentForAgent(agentId: string, sinceMs: number, limit: number): Promise<ScoreVerdictRow[]> {
    const rows = await this.query()
      .andWhere('s.agentId = :agentId', { agentId })
      .andWhere('a.closedAt >= :sinceMs', { sinceMs })
      .orderBy('a.closedAt', 'DESC')
      .addOrderBy('s.scoreId', 'ASC')
      .limit(limit)
      .getRawMany<RawRow>();
    return rows.map(toRow);
  }

  private query(): SelectQueryBuilder<RiskScoreEntity> {
    return this.db
      .getRepository(RiskScoreEntity)
      .createQueryBuilder('s')
      .innerJoin(AlertEntity, 'a', 'a.id = s.alertId')
      .select('s.agentId', 'agentId')
      .addSelect('s.scoreId', 'scoreId')
      .addSelect('s.user', 'user')
      .addSelect('s.windowStart', 'windowStart')
      .addSelect('a.verdict', 'verdict')
      .addSelect('a.closedAt', 'decidedAt')
      .where('a.verdict IS NOT NULL')
      .andWhere('a.closedAt IS NOT NULL');
  }
}

// Raw rows skip the entities' transformers: PostgreSQL answers a bigint as a string.
const toRow = (r: RawRow): ScoreVerdictRow => ({
  agentId: r.agentId,
  scoreId: r.scoreId,
  user: r.user,
  windowStart: Number(r.windowStart),
  verdict: r.verdict,
  decidedAt: Number(r.decidedAt),
});
