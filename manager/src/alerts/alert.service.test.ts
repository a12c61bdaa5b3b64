import { Severity } from '@wardwatch/proto';
import { describe, expect, it } from 'vitest';
import { AuditService } from '../audit/audit.service';
import type { TransactionRunner } from '../database/transaction.runner';
import { InMemoryAlertRepository } from '../testing/fakes/alert.repository.fake';
import { InMemoryAuditRepository, testAuditKeyring } from '../testing/fakes/audit.repository.fake';
import { fake, FAKE_TX, FakeClock, FakeRandom, FakeTransactionRunner } from '../testing/fakes/fakes';
import { AlertService } from './alert.service';
import type { ScoreRecord } from './score-record';

function sut() {
  const alerts = new InMemoryAlertRepository();
  const auditRows = new InMemoryAuditRepository();
  const transactions = fake<TransactionRunner>(new FakeTransactionRunner([alerts, auditRows]));
  const clock = new FakeClock(50_000);
  const service = new AlertService(
    fake(alerts),
    new AuditService(fake(auditRows), transactions, clock, testAuditKeyring()),
    clock,
    new FakeRandom(),
  );
  return { service, alerts, auditRows, clock };
}

const score = (scoreId: string, value: number, text: string): ScoreRecord => ({
  agentId: 'agent-a',
  suspects: [],
  identityMismatch: null,
  scoreId,
  user: 'u_1',
  windowStart: 1_000,
  windowEnd: 2_000,
  score: value,
  threshold: 60,
  severity: Severity.SEVERITY_HIGH,
  modelSource: 'fleet',
  baselineSource: 'user',
  reasons: [{ text, source: 'baseline' }],
  ruleIds: [],
  partial: false,
  scoredAt: 1_500,
  receivedAt: 1_600,
});

describe('AlertService', () => {
  it('raises an alert per draft, each with its audit row', async () => {
    const { service, alerts, auditRows } = sut();
    const draft = { agentId: 'agent-a', severity: 4, score: 70, title: 'High login', reasons: ['r'], eventIds: ['e1'] };
    expect(await service.raise([draft, { ...draft, eventIds: ['e2'] }], FAKE_TX)).toBe(2);
    expect(alerts.rows.map((a) => [a.eventIds, a.status, a.createdAt])).toEqual([
      [['e1'], 'open', 50_000],
      [['e2'], 'open', 50_000],
    ]);
    expect(auditRows.rows.map((r) => [r.actor, r.action, r.target, r.details.events])).toEqual([
      ['agent:agent-a', 'alert.raise', alerts.rows[0].id, ['e1']],
      ['agent:agent-a', 'alert.raise', alerts.rows[1].id, ['e2']],
    ]);
  });

  it('folds a later score of the same window into the open alert, audited as an update', async () => {
    const { service, alerts, auditRows } = sut();
    const first = await service.raiseForScore(score('s1', 70, 'many logons'), 60, FAKE_TX);
    const second = await service.raiseForScore(score('s2', 90, 'odd hours'), 60, FAKE_TX);
    expect(first.raised).toBe(true);
    expect(second).toEqual({ id: first.id, raised: false });
    expect(alerts.rows).toHaveLength(1);
    // The manager's severity for 90, whatever the agent said (high).
    expect(alerts.rows[0]).toMatchObject({
      score: 90,
      severity: Severity.SEVERITY_CRITICAL,
      threshold: 60,
      reasons: ['odd hours', 'many logons'],
    });
    expect(auditRows.actions()).toEqual(['alert.raise', 'alert.update']);
  });

  it('folds later scores into an acknowledged alert, and raises a new one once it is closed', async () => {
    const { service, alerts } = sut();
    const first = await service.raiseForScore(score('s1', 70, 'many logons'), 60, FAKE_TX);
    alerts.rows[0].status = 'acknowledged';
    expect(await service.raiseForScore(score('s2', 75, 'more logons'), 60, FAKE_TX)).toEqual({
      id: first.id,
      raised: false,
    });
    alerts.rows[0].status = 'closed';
    const after = await service.raiseForScore(score('s3', 80, 'still more'), 60, FAKE_TX);
    expect(after.raised).toBe(true);
    expect(after.id).not.toBe(first.id);
    expect(alerts.rows.map((a) => [a.status, a.revision])).toEqual([
      ['closed', 1],
      ['open', 1],
    ]);
  });

  it('pages newest first with a cursor, and refuses a malformed one', async () => {
    const { service, clock } = sut();
    const draft = { agentId: 'a', severity: 4, score: 70, title: 't', reasons: [], eventIds: [] };
    for (let i = 0; i < 5; i++) {
      clock.advance(1);
      await service.raise([draft], FAKE_TX);
    }
    const first = await service.page(3);
    const rest = await service.page(3, first.nextCursor);
    expect([...first.items, ...rest.items].map((a) => a.createdAt)).toEqual([50_005, 50_004, 50_003, 50_002, 50_001]);
    expect(rest.nextCursor).toBeUndefined();
    await expect(service.page(3, 'garbage')).rejects.toMatchObject({ code: 'invalid_cursor', status: 'bad_request' });
  });
});
