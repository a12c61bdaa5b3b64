// Reads stored risk scores for the REST API, newest window first; the cursor is
// the window start, agent and score id of the last one seen.
import { Injectable } from '@nestjs/common';
import type { ScoreQuery, ScoreView } from '@wardwatch/shared';
import { DataSource } from 'typeorm';
import { RiskScoreEntity } from '../database/entities';
import { severityName } from '../events/event-view.mapper';

@Injectable()
export class ScoreQueryService {
  constructor(private readonly db: DataSource) {}

  async page(query: ScoreQuery): Promise<{ items: ScoreView[]; nextCursor?: string }> {
    const qb = this.db.getRepository(RiskScoreEntity).createQueryBuilder('s');
    if (query.agentId) qb.andWhere('s.agentId = :agentId', { agentId: query.agentId });
    if (query.user) qb.andWhere('s.user = :user', { user: query.user });
    const key = query.cursor ? parseCursor(query.cursor) : undefined;
    if (key)
      qb.andWhere(
        '(s.windowStart < :t OR (s.windowStart = :t AND (s.agentId < :a OR (s.agentId = :a AND s.scoreId < :id))))',
        key,
      );
    const rows = await qb
      .orderBy('s.windowStart', 'DESC')
      .addOrderBy('s.agentId', 'DESC')
      .addOrderBy('s.scoreId', 'DESC')
      .take(query.limit + 1)
      .getMany();
    const items = rows.slice(0, query.limit).map(toScoreView);
    const last = rows.length > query.limit ? items.at(-1) : undefined;
    return last
      ? {
          items,
          nextCursor: Buffer.from(JSON.stringify([last.windowStart, last.agentId, last.id])).toString('base64url'),
        }
      : { items };
  }
}

function parseCursor(cursor: string): { t: number; a: string; id: string } | undefined {
  try {
    const [t, a, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as unknown[];
    return typeof t === 'number' && typeof a === 'string' && typeof id === 'string' ? { t, a, id } : undefined;
  } catch {
    return undefined;
  }
}

export function toScoreView(s: RiskScoreEntity): ScoreView {
  return {
    id: s.scoreId,
    agentId: s.agentId,
    user: s.user,
    windowStart: s.windowStart,
    windowEnd: s.windowEnd,
    score: Math.round(s.score * 10) / 10,
    threshold: s.threshold,
    severity: severityName(s.severity),
    modelSource: s.modelSource,
    baselineSource: s.baselineSource,
    partial: Boolean(s.partial),
    reasons: s.reasons,
    ruleIds: s.ruleIds,
    scoredAt: s.scoredAt,
    alertId: s.alertId,
  };
}
