// Retention's deletes on SQLite and PostgreSQL: only rows older than the cutoff go,
// in bounded batches, alerts by their last touch; the audit log keeps every row and
// gains one per run; the delete is served by an index.
import type { DataSource, QueryDeepPartialEntity } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertCommentEntity } from '../alerts/alert-comment.entity';
import { AlertPurgeService } from '../alerts/alert-purge.service';
import { AlertEntity } from '../alerts/alert.entity';
import { RiskScoreEntity } from '../alerts/risk-score.entity';
import { AuditLogEntity } from '../audit/audit-log.entity';
import { EventEntity } from '../events/event.entity';
import { EventPurgeService } from '../events/event-purge.service';
import { FakeClock } from '../testing/fakes/fakes';
import { servicesOn } from '../testing/services.fixture';
import type { TestDatabase } from '../testing/test-databases.fixture';
import { testEngines } from '../testing/test-engines.fixture';
import { RetentionService } from './retention.service';

const DAY = 86_400_000;
const NOW = 1_800_000_000_000;

const event = (id: string, receivedMs: number): EventEntity => ({
  agentId: 'agent-r',
  eventId: id,
  sequence: null,
  hostname: 'ward1',
  timeMs: receivedMs,
  receivedMs,
  severity: 1,
  user: 'u_1',
  category: 'login',
  action: 'logon',
  detail: {},
});

const score = (id: string, receivedAt: number): RiskScoreEntity => ({
  agentId: 'agent-r',
  scoreId: id,
  user: 'u_1',
  windowStart: receivedAt,
  windowEnd: receivedAt + 1,
  score: 0.5,
  threshold: 0.9,
  severity: 1,
  modelSource: 'fleet',
  baselineSource: 'fleet',
  reasons: [],
  ruleIds: [],
  partial: false,
  scoredAt: receivedAt,
  receivedAt,
  alertId: null,
});

const alert = (id: string, createdAt: number, updatedAt: number | null) => ({
  id,
  agentId: 'agent-r',
  createdAt,
  severity: 3,
  score: 70,
  title: 't',
  reasons: [],
  status: 'open' as const,
  eventIds: [],
  user: null,
  windowStart: null,
  windowEnd: null,
  updatedAt,
});

describe.each(testEngines)('retention on $name', ({ name, make, skip }) => {
  let database: TestDatabase;
  let db: DataSource;

  beforeAll(async () => {
    if (skip) return;
    database = make();
    db = await database.open();
  });
  afterAll(async () => {
    await db?.destroy();
    await database?.dispose();
  });

  it.skipIf(skip)('deletes old events, scores and alerts in batches and keeps the audit log', async () => {
    const clock = new FakeClock(NOW);
    const services = servicesOn(db, clock);
    const old = NOW - 100 * DAY;
    const events = [
      ...Array.from({ length: 7 }, (_, i) => event(`old-${i}`, old - i)),
      event('edge', NOW - 90 * DAY),
      event('new', NOW - DAY),
    ];
    await db.getRepository(EventEntity).insert(events as QueryDeepPartialEntity<EventEntity>[]);
    await db.getRepository(RiskScoreEntity).insert([score('old', old), score('new', NOW - DAY)]);
    await db
      .getRepository(AlertEntity)
      .insert([
        alert('old', NOW - 400 * DAY, null),
        alert('touched', NOW - 400 * DAY, NOW - DAY),
        alert('new', NOW, null),
      ]);
    await services.transactions.run(async (tx) => {
      for (const alertId of ['old', 'new'])
        await services.repos.alertComments.insert(
          { id: `c-${alertId}`, alertId, author: 'ana', createdAt: NOW, body: 'looked at it' },
          tx,
        );
    });
    await services.audit.append({ actor: 'admin', action: 'agent.revoke', target: 'x' });
    const auditBefore = await db.getRepository(AuditLogEntity).count();

    const retention = new RetentionService(
      new EventPurgeService(services.repos.events, services.transactions),
      new AlertPurgeService(
        services.repos.alerts,
        services.repos.scores,
        services.transactions,
        services.repos.alertComments,
      ),
      services.audit,
      clock,
      { retention: { eventsDays: 90, scoresDays: 90, alertsDays: 365, intervalMs: 60_000, batchSize: 3 } },
    );
    expect(await retention.runOnce()).toEqual({ deleted: { events: 7, scores: 1, alerts: 1 }, complete: true });

    const eventIds = (await db.getRepository(EventEntity).find()).map((e) => e.eventId).sort();
    const scoreIds = (await db.getRepository(RiskScoreEntity).find()).map((r) => r.scoreId).sort();
    const alertIds = (await db.getRepository(AlertEntity).find()).map((r) => r.id).sort();
    expect(eventIds).toEqual(['edge', 'new']);
    expect(scoreIds).toEqual(['new']);
    expect(alertIds).toEqual(['new', 'touched']);
    // The comments of a deleted alert go with it.
    expect((await db.getRepository(AlertCommentEntity).find()).map((c) => c.id)).toEqual(['c-new']);
    const audit = await db.getRepository(AuditLogEntity).find({ order: { seq: 'ASC' } });
    expect(audit).toHaveLength(auditBefore + 1);
    expect(audit.at(-1)).toMatchObject({ actor: 'system', action: 'retention.run' });
    expect(await services.audit.verify()).toMatchObject({ ok: true });
  });

  it.skipIf(skip)('has an index for the received time of events and scores', async () => {
    const sql =
      name === 'sqlite'
        ? "SELECT name FROM sqlite_master WHERE type = 'index' AND name IN ('idx_event_received', 'idx_risk_score_received')"
        : "SELECT indexname AS name FROM pg_indexes WHERE schemaname = current_schema() AND indexname IN ('idx_event_received', 'idx_risk_score_received')";
    const rows: { name: string }[] = await db.query(sql);
    expect(rows.map((r) => r.name).sort()).toEqual(['idx_event_received', 'idx_risk_score_received']);
  });
});
