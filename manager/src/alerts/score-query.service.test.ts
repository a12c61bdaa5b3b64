import { ScoreQuery } from '@wardwatch/shared';
import { describe, expect, it } from 'vitest';
import { InMemoryRiskScoreRepository } from '../testing/fakes/alert.repository.fake';
import { fake } from '../testing/fakes/fakes';
import type { RiskScoreEntity } from './risk-score.entity';
import { ScoreQueryService } from './score-query.service';

function sut() {
  const scores = new InMemoryRiskScoreRepository();
  scores.rows = Array.from({ length: 5 }, (_, i) => ({
    agentId: i % 2 ? 'agent-b' : 'agent-a',
    scoreId: `s${i}`,
    user: 'u_1',
    windowStart: 1_000 * i,
    windowEnd: 1_000 * i + 500,
    score: 12.345,
    threshold: 60,
    severity: 1,
    modelSource: 'own',
    baselineSource: 'user',
    reasons: [],
    ruleIds: [],
    partial: false,
    scoredAt: 1,
    receivedAt: 2,
    alertId: null,
  })) satisfies RiskScoreEntity[];
  return { service: new ScoreQueryService(fake(scores)) };
}

describe('ScoreQueryService', () => {
  it('pages newest window first, filtered, with a cursor that round-trips', async () => {
    const { service } = sut();
    const first = await service.page(ScoreQuery.parse({ limit: 2 }));
    const rest = await service.page(ScoreQuery.parse({ limit: 5, cursor: first.nextCursor }));
    expect([...first.items, ...rest.items].map((s) => s.id)).toEqual(['s4', 's3', 's2', 's1', 's0']);
    expect(first.items[0].score).toBe(12.3);
    expect((await service.page(ScoreQuery.parse({ agentId: 'agent-b' }))).items.map((s) => s.id)).toEqual(['s3', 's1']);
  });

  it('refuses a malformed cursor instead of answering the first page', async () => {
    await expect(sut().service.page(ScoreQuery.parse({ cursor: 'garbage' }))).rejects.toMatchObject({
      code: 'invalid_cursor',
    });
  });
});
