import { Severity, type Score } from '@wardwatch/proto';
import { describe, expect, it } from 'vitest';
import { AuditService } from '../audit/audit.service';
import type { TransactionRunner } from '../database/transaction.runner';
import { InMemoryAlertRepository, InMemoryRiskScoreRepository } from '../testing/fakes/alert.repository.fake';
import { InMemoryAuditRepository, testAuditKeyring } from '../testing/fakes/audit.repository.fake';
import { fake, FakeClock, FakeRandom, FakeTransactionRunner } from '../testing/fakes/fakes';
import { AlertService } from './alert.service';
import { ScoreIngestService } from './score-ingest.service';

function sut(threshold = 60) {
  const scores = new InMemoryRiskScoreRepository();
  const alerts = new InMemoryAlertRepository();
  const auditRows = new InMemoryAuditRepository();
  const transactions = fake<TransactionRunner>(new FakeTransactionRunner([scores, alerts, auditRows]));
  const clock = new FakeClock(9_000);
  const audit = new AuditService(fake(auditRows), transactions, clock, testAuditKeyring());
  const alertService = new AlertService(fake(alerts), audit, clock, new FakeRandom());
  const service = new ScoreIngestService(fake(scores), alertService, transactions, clock, { alerts: { threshold } });
  return { service, scores, alerts, auditRows, alertService };
}

/** A user token (the manager refuses a clear user name) made from a readable name. */
const userToken = (name: string) => `u_${Buffer.from(name).toString('hex').padStart(16, '0')}`;

const score = (id: string, value: number): Score => ({
  id,
  windowStartMs: 1_000,
  windowEndMs: 2_000,
  user: 'u_0000000000000001',
  score: value,
  threshold: 60,
  severity: Severity.SEVERITY_HIGH,
  modelSource: 'own',
  baselineSource: 'user',
  reasons: [{ text: 'many logons', source: 'baseline', feature: 'logons', ruleId: '', value: 9, usual: 1 }],
  ruleIds: [],
  scoredAtMs: 1_500,
  partial: false,
  suspects: [],
});

describe('ScoreIngestService', () => {
  it('stores each score once and raises one audited alert for a score over its threshold', async () => {
    const { service, scores, alerts, auditRows } = sut();
    const result = await service.ingest('agent-a', { sequence: 1, scores: [score('low', 20), score('high', 80)] });
    expect(result).toEqual({ stored: 2, duplicates: 0, rejected: [], alertsRaised: 1, alertsUpdated: 0 });
    expect(scores.rows.find((s) => s.scoreId === 'high')?.alertId).toBe(alerts.rows[0].id);
    expect(auditRows.actions()).toEqual(['alert.raise']);
    const again = await service.ingest('agent-a', { sequence: 1, scores: [score('high', 80), score('high', 80)] });
    expect(again).toMatchObject({ stored: 0, duplicates: 2, alertsRaised: 0 });
  });

  it("decides alerts and their severity by the manager's threshold, never the agent's", async () => {
    const { service, alerts } = sut(60);
    const claims = (id: string, value: number, threshold: number, severity: Severity): Score => ({
      ...score(id, value),
      user: userToken(id),
      threshold,
      severity,
    });
    // A rogue agent: threshold 0 on a low score, threshold 100 and "info" on a high one.
    const result = await service.ingest('agent-a', {
      sequence: 1,
      scores: [
        claims('noise', 10, 0, Severity.SEVERITY_CRITICAL),
        claims('real', 85, 100, Severity.SEVERITY_INFO),
        claims('edge', 60, 100, Severity.SEVERITY_CRITICAL),
      ],
    });
    expect(result.alertsRaised).toBe(2);
    expect(alerts.rows.map((a) => [a.user, a.severity, a.threshold])).toEqual([
      [userToken('real'), Severity.SEVERITY_HIGH, 60],
      [userToken('edge'), Severity.SEVERITY_MEDIUM, 60],
    ]);
    const strict = sut(90);
    expect((await strict.service.ingest('agent-a', { sequence: 1, scores: [score('s', 85)] })).alertsRaised).toBe(0);
  });

  it('rejects a malformed score with its reason and keeps the rest', async () => {
    const { service } = sut();
    const result = await service.ingest('agent-a', { sequence: 1, scores: [score('ok', 10), score('bad', 400)] });
    expect(result.stored).toBe(1);
    expect(result.rejected).toEqual([{ scoreId: 'bad', reason: expect.stringMatching(/^score: /) as unknown }]);
  });

  it('refuses a score naming its user, or an address in a reason, in clear; stores the rest', async () => {
    const { service, scores } = sut();
    const named = { ...score('named', 90), user: 'nurse.jones' };
    const addressed = score('addressed', 90);
    addressed.reasons = [{ text: 'failed logons from 203.0.113.7', source: 'rule', feature: '', ruleId: 'r' }];
    const result = await service.ingest('agent-a', { sequence: 1, scores: [named, score('ok', 10), addressed] });
    expect(result).toMatchObject({ stored: 1, alertsRaised: 0 });
    expect(result.rejected.map((r) => [r.scoreId, r.code])).toEqual([
      ['named', 'clear_value'],
      ['addressed', 'clear_value'],
    ]);
    expect(scores.rows.map((r) => r.scoreId)).toEqual(['ok']);
  });

  it("stores a critical score whose user token was not ready in time (user ''), and raises its alert", async () => {
    const { service, alerts } = sut();
    const late = { ...score('late', 95), user: '', partial: true, ruleIds: ['ransomware-burst'] };
    const result = await service.ingest('agent-a', { sequence: 1, scores: [late] });
    expect(result).toMatchObject({ stored: 1, rejected: [], alertsRaised: 1 });
    expect(alerts.rows.map((a) => a.user)).toEqual(['']);
  });

  it('stores nothing of a batch whose alert cannot be audited', async () => {
    const { service, scores, alerts, auditRows } = sut();
    auditRows.failNextInsert = new Error('disk full');
    await expect(service.ingest('agent-a', { sequence: 1, scores: [score('high', 80)] })).rejects.toThrow('disk full');
    expect(scores.rows).toEqual([]);
    expect(alerts.rows).toEqual([]);
  });

  it('announces raised and grown alerts to listeners after commit, and nothing of a batch rolled back', async () => {
    const { service, alerts, auditRows, alertService } = sut();
    const heard: { alertId: string; agentId: string; raised: boolean; stored: boolean }[] = [];
    const stop = alertService.onRaised((notice) =>
      heard.push({ ...notice, stored: alerts.rows.some((a) => a.id === notice.alertId) }),
    );
    alertService.onRaised(() => {
      throw new Error('a listener failing changes nothing');
    });
    auditRows.failNextInsert = new Error('disk full');
    await expect(service.ingest('agent-a', { sequence: 1, scores: [score('high', 80)] })).rejects.toThrow('disk full');
    expect(heard).toEqual([]);
    await service.ingest('agent-a', { sequence: 2, scores: [score('high', 80)] });
    await service.ingest('agent-a', { sequence: 3, scores: [score('higher', 95), score('low', 10)] });
    const id = alerts.rows[0].id;
    expect(heard).toEqual([
      { alertId: id, agentId: 'agent-a', raised: true, stored: true },
      { alertId: id, agentId: 'agent-a', raised: false, stored: true },
    ]);
    stop();
    await service.ingest('agent-a', { sequence: 4, scores: [score('highest', 99)] });
    expect(heard).toHaveLength(2);
  });
});
