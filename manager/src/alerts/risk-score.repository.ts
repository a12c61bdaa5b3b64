// Storage of the agents' risk scores, stored once by (agent, score id).
import { Injectable } from '@nestjs/common';
import { Between, DataSource, In } from 'typeorm';
import { entityManager, type Tx } from '../database/transaction.runner';
import { deleteBounded } from '../database/bounded-delete';
import { RiskScoreEntity } from './risk-score.entity';

/** The sort key of the score list: window start, agent, score id. */
export type ScoreKey = [windowStart: number, agentId: string, scoreId: string];

export interface ScoreFilter {
  agentId?: string;
  user?: string;
}

@Injectable()
export class RiskScoreRepository {
  constructor(private readonly db: DataSource) {}

  /** Which of these score ids of the agent are stored already. */
  async knownIds(agentId: string, scoreIds: string[], tx: Tx): Promise<Set<string>> {
    if (scoreIds.length === 0) return new Set();
    const rows = await entityManager(this.db, tx)
      .getRepository(RiskScoreEntity)
      .find({ select: { scoreId: true }, where: { agentId, scoreId: In(scoreIds) } });
    return new Set(rows.map((r) => r.scoreId));
  }

  async insert(rows: RiskScoreEntity[], tx: Tx): Promise<void> {
    if (rows.length === 0) return;
    await entityManager(this.db, tx).createQueryBuilder().insert().into(RiskScoreEntity).values(rows).execute();
  }

  /** Newest window first; `limit + 1` rows at most so the caller sees whether more follow. */
  page(filter: ScoreFilter, limit: number, after?: ScoreKey): Promise<RiskScoreEntity[]> {
    const qb = this.db.getRepository(RiskScoreEntity).createQueryBuilder('s');
    if (filter.agentId) qb.andWhere('s.agentId = :agentId', { agentId: filter.agentId });
    if (filter.user) qb.andWhere('s.user = :user', { user: filter.user });
    if (after)
      qb.andWhere(
        '(s.windowStart < :t OR (s.windowStart = :t AND (s.agentId < :a OR (s.agentId = :a AND s.scoreId < :id))))',
        { t: after[0], a: after[1], id: after[2] },
      );
    return qb
      .orderBy('s.windowStart', 'DESC')
      .addOrderBy('s.agentId', 'DESC')
      .addOrderBy('s.scoreId', 'DESC')
      .take(limit + 1)
      .getMany();
  }

  /** One user's scores on one agent whose window starts within the range, oldest first, at most `limit` (idx_risk_score_user_window). */
  history(agentId: string, user: string, fromMs: number, toMs: number, limit: number): Promise<RiskScoreEntity[]> {
    return this.db.getRepository(RiskScoreEntity).find({
      where: { user, agentId, windowStart: Between(fromMs, toMs) },
      order: { windowStart: 'ASC', scoredAt: 'ASC', scoreId: 'ASC' },
      take: limit,
    });
  }

  /** Deletes up to `limit` scores the manager received before `cutoffMs`; returns how many. */
  deleteReceivedBefore(cutoffMs: number, limit: number, tx: Tx): Promise<number> {
    return deleteBounded(entityManager(this.db, tx), {
      entity: RiskScoreEntity,
      keys: ['agent_id', 'score_id'],
      where: 'old.received_at < :cutoff',
      cutoffMs,
      limit,
    });
  }
}
