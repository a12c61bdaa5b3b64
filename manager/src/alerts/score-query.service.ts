// Reads stored risk scores for the REST API, newest window first; the cursor is
// the window start, agent and score id of the last one seen.
import { Injectable } from '@nestjs/common';
import type { ScoreQuery, ScoreView } from '@wardwatch/shared';
import { z } from 'zod';
import { pageCursor, toPage } from '../common/page-cursor';
import { severityName } from '../common/severity';
import type { RiskScoreEntity } from './risk-score.entity';
import { RiskScoreRepository } from './risk-score.repository';

const cursor = pageCursor(z.tuple([z.number().int(), z.string(), z.string()]));

@Injectable()
export class ScoreQueryService {
  constructor(private readonly scores: RiskScoreRepository) {}

  async page(query: ScoreQuery): Promise<{ items: ScoreView[]; nextCursor?: string }> {
    const after = query.cursor === undefined ? undefined : cursor.decode(query.cursor);
    const rows = await this.scores.page({ agentId: query.agentId, user: query.user }, query.limit, after);
    return toPage(rows, query.limit, toScoreView, (s) => cursor.encode([s.windowStart, s.agentId, s.scoreId]));
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
