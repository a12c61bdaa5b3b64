import { describe, expect, it } from 'vitest';
import { AlertPurgeService } from '../alerts/alert-purge.service';
import type { AlertEntity } from '../alerts/alert.entity';
import type { RiskScoreEntity } from '../alerts/risk-score.entity';
import { AuditService } from '../audit/audit.service';
import type { RetentionConfig } from '../config/config.schema';
import type { TransactionRunner } from '../database/transaction.runner';
import type { EventRecord } from '../events/event-record';
import { EventPurgeService } from '../events/event-purge.service';
import {
  InMemoryAlertRepository,
  InMemoryEventRepository,
  InMemoryRiskScoreRepository,
  InMemoryAlertCommentRepository,
} from '../testing/fakes/alert.repository.fake';
import { InMemoryAuditRepository, testAuditKeyring } from '../testing/fakes/audit.repository.fake';
import { fake, FakeClock, FakeTransactionRunner } from '../testing/fakes/fakes';
import { MAX_BATCHES, RetentionService } from './retention.service';

const DAY = 86_400_000;
const NOW = 1_800_000_000_000;

function sut(settings: Partial<RetentionConfig> = {}) {
  const events = new InMemoryEventRepository();
  const scores = new InMemoryRiskScoreRepository();
  const alerts = new InMemoryAlertRepository();
  const comments = new InMemoryAlertCommentRepository(alerts);
  const auditRows = new InMemoryAuditRepository();
  const transactions = new FakeTransactionRunner([events, scores, alerts, comments, auditRows]);
  const tx = fake<TransactionRunner>(transactions);
  const clock = new FakeClock(NOW);
  const retention = { eventsDays: 90, scoresDays: 30, alertsDays: 365, intervalMs: 60_000, batchSize: 2, ...settings };
  const service = new RetentionService(
    new EventPurgeService(fake(events), tx),
    new AlertPurgeService(fake(alerts), fake(scores), tx, fake(comments)),
    new AuditService(fake(auditRows), tx, clock, testAuditKeyring()),
    clock,
    { retention },
  );
  return { service, events, scores, alerts, auditRows, transactions };
}

const event = (id: string, receivedMs: number) => ({ agentId: 'a', eventId: id, receivedMs }) as EventRecord;
const score = (id: string, receivedAt: number) => ({ agentId: 'a', scoreId: id, receivedAt }) as RiskScoreEntity;
const alert = (id: string, createdAt: number, updatedAt: number | null) =>
  ({ id, createdAt, updatedAt }) as AlertEntity;

describe('RetentionService', () => {
  it('deletes what is older than each kind’s days, in batches, and audits the run with the counts', async () => {
    const { service, events, scores, alerts, auditRows, transactions } = sut();
    events.rows = [event('old1', NOW - 91 * DAY), event('old2', NOW - 200 * DAY), event('old3', NOW - 90 * DAY - 1)];
    events.rows.push(event('new', NOW - 89 * DAY));
    scores.rows = [score('old', NOW - 31 * DAY), score('new', NOW - 29 * DAY)];
    alerts.rows = [
      alert('old', NOW - 400 * DAY, null),
      alert('updated-lately', NOW - 400 * DAY, NOW - DAY),
      alert('new', NOW - DAY, null),
    ];

    expect(await service.runOnce()).toEqual({ deleted: { events: 3, scores: 1, alerts: 1 }, complete: true });
    expect(events.rows.map((e) => e.eventId)).toEqual(['new']);
    expect(scores.rows.map((s) => s.scoreId)).toEqual(['new']);
    expect(alerts.rows.map((a) => a.id)).toEqual(['updated-lately', 'new']);
    // batches of 2: events 2 + 1, scores 1, alerts 1, then the audit row
    expect(transactions.runs).toBe(5);
    expect(auditRows.rows.map((r) => [r.actor, r.action])).toEqual([['system', 'retention.run']]);
    expect(auditRows.rows[0].details).toMatchObject({
      deleted: { events: 3, scores: 1, alerts: 1 },
      complete: true,
      cutoffs: { events: NOW - 90 * DAY, scores: NOW - 30 * DAY, alerts: NOW - 365 * DAY },
    });
  });

  it('keeps a kind set to 0 days for ever, and audits a run that deleted nothing', async () => {
    const { service, events, auditRows } = sut({ eventsDays: 0 });
    events.rows = [event('ancient', 0)];
    expect(await service.runOnce()).toEqual({ deleted: { events: 0, scores: 0, alerts: 0 }, complete: true });
    expect(events.rows).toHaveLength(1);
    expect(auditRows.rows).toHaveLength(1);
    expect(auditRows.rows[0].details).toMatchObject({ cutoffs: { scores: NOW - 30 * DAY } });
    expect((auditRows.rows[0].details as { cutoffs: object }).cutoffs).not.toHaveProperty('events');
  });

  it('stops after its batch budget and leaves the rest for the next run', async () => {
    const { service, events } = sut({ batchSize: 1 });
    events.rows = Array.from({ length: MAX_BATCHES + 3 }, (_, i) => event(`e${i}`, 0));
    expect(await service.runOnce()).toMatchObject({ deleted: { events: MAX_BATCHES }, complete: false });
    expect(await service.runOnce()).toMatchObject({ deleted: { events: 3 }, complete: true });
    expect(events.rows).toEqual([]);
  });
});
