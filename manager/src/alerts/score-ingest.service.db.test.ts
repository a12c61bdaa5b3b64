import { Severity, type Score } from '@wardwatch/proto';
import { AlertPage } from '@wardwatch/shared';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLogEntity } from '../audit/audit-log.entity';
import type { AuditService } from '../audit/audit.service';
import type { TestDatabase } from '../testing/test-databases.fixture';
import { testEngines } from '../testing/test-engines.fixture';
import { servicesOn } from '../testing/services.fixture';
import type { AlertService } from './alert.service';
import { RiskScoreEntity } from './risk-score.entity';
import type { ScoreIngestService } from './score-ingest.service';

const DAY = 86_400_000;
const score = (id: string, value: number, extra: Partial<Score> = {}): Score => ({
  id,
  windowStartMs: 20 * DAY,
  windowEndMs: 21 * DAY,
  user: 'u_0123456789abcdef',
  score: value,
  threshold: 60,
  severity: value >= 80 ? Severity.SEVERITY_HIGH : Severity.SEVERITY_INFO,
  modelSource: 'fleet',
  baselineSource: 'user',
  reasons:
    value >= 60
      ? [
          {
            text: 'Brute force against one account: 10 failed logons for this account within 10m',
            source: 'rule',
            feature: '',
            ruleId: 'brute-force',
            value: 10,
            usual: undefined,
          },
        ]
      : [],
  ruleIds: value >= 60 ? ['brute-force'] : [],
  scoredAtMs: 20 * DAY + 5_000,
  partial: true,
  suspects: [],
  ...extra,
});

describe.each(testEngines)('risk scores and their alerts on $name', ({ make, skip }) => {
  let database: TestDatabase;
  let db: DataSource;
  let ingest: ScoreIngestService;
  let alerts: AlertService;
  let audit: AuditService;

  beforeAll(async () => {
    if (skip) return;
    database = make();
    db = await database.open();
    ({ scoreIngest: ingest, alerts, audit } = servicesOn(db));
  });
  afterAll(async () => {
    await db?.destroy();
    await database?.dispose();
  });

  it.skipIf(skip)(
    'stores every score once, raises one alert per user-window with its reasons, and audits it',
    async () => {
      const first = await ingest.ingest('agent-a', {
        sequence: 1,
        scores: [score('s1', 12, { user: 'u_00000000000000be', partial: false }), score('s2', 80)],
      });
      expect(first).toMatchObject({ stored: 2, duplicates: 0, rejected: [], alertsRaised: 1, alertsUpdated: 0 });
      expect(await ingest.ingest('agent-a', { sequence: 1, scores: [score('s2', 80)] })).toMatchObject({
        stored: 0,
        duplicates: 1,
        alertsRaised: 0,
      });

      // The closed window's later, stronger score updates the same alert.
      const later = score('s3', 93.4, {
        partial: false,
        suspects: [],
        severity: Severity.SEVERITY_CRITICAL,
        reasons: [
          {
            text: 'failed logons: 40; usual is 1',
            source: 'baseline',
            feature: 'failed_logons',
            ruleId: '',
            value: 40,
            usual: 1,
          },
          {
            text: 'Brute force against one account: 10 failed logons for this account within 10m',
            source: 'rule',
            feature: '',
            ruleId: 'brute-force',
            value: 10,
            usual: undefined,
          },
        ],
      });
      expect(await ingest.ingest('agent-a', { sequence: 2, scores: [later] })).toMatchObject({
        stored: 1,
        alertsRaised: 0,
        alertsUpdated: 1,
      });

      const page = AlertPage.parse(await alerts.page(100));
      expect(page.items).toHaveLength(1);
      const alert = page.items[0];
      expect(alert).toMatchObject({
        agentId: 'agent-a',
        user: 'u_0123456789abcdef',
        score: 93,
        severity: 'critical',
        threshold: 60,
        modelSource: 'fleet',
        windowStart: 20 * DAY,
        windowEnd: 21 * DAY,
        title: 'Unusual behaviour: failed logons: 40; usual is 1',
        status: 'open',
      });
      expect(alert.reasons).toEqual([
        'failed logons: 40; usual is 1',
        'Brute force against one account: 10 failed logons for this account within 10m',
      ]);
      expect(alert.reasonDetails?.[0]).toEqual({
        text: 'failed logons: 40; usual is 1',
        source: 'baseline',
        feature: 'failed_logons',
        value: 40,
        usual: 1,
      });
      expect(alert.ruleIds).toEqual(['brute-force']);

      const stored = await db.getRepository(RiskScoreEntity).find({ order: { scoreId: 'ASC' } });
      expect(stored.map((s) => [s.scoreId, s.alertId === alert.id, s.partial])).toEqual([
        ['s1', false, false],
        ['s2', true, true],
        ['s3', true, false],
      ]);
      expect(stored[2].score).toBeCloseTo(93.4, 3);
      const audit = await db.getRepository(AuditLogEntity).find({ where: { action: 'alert.raise' } });
      expect(audit.map((a) => [a.actor, a.target])).toEqual([['agent:agent-a', alert.id]]);
    },
  );

  it.skipIf(skip)(
    'raises alerts for several agents at once without losing any or forking the audit chain',
    async () => {
      const agents = ['c1', 'c2', 'c3', 'c4', 'c5', 'c6'];
      const results = await Promise.all(
        agents.map((agent, i) =>
          ingest.ingest(`agent-${agent}`, {
            sequence: 1,
            scores: [score(`x${i}`, 85, { user: `u_${agent.padStart(16, '0')}` })],
          }),
        ),
      );
      expect(results.map((r) => r.alertsRaised)).toEqual(agents.map(() => 1));
      const verdict = await audit.verify();
      expect(verdict.ok).toBe(true);
      expect((await db.getRepository(AuditLogEntity).find({ where: { action: 'alert.raise' } })).length).toBe(
        1 + agents.length,
      );
    },
  );

  it.skipIf(skip)(
    "keeps the strongest identity mismatch of the window's scores on its alert, and refuses one out of bounds",
    async () => {
      const user = 'u_00000000000001d0';
      const identity = (mismatch: number) => ({ mismatch, sessions: 2, source: 'user' });
      const first = await ingest.ingest('agent-d', {
        sequence: 1,
        scores: [
          score('id1', 75, { user, identity: identity(0.97) }),
          score('id-bad', 75, { user: 'u_00000000000001d1', identity: identity(1.5) }),
          score('id-nan', 75, { user: 'u_00000000000001d2', identity: identity(Number.NaN) }),
          score('id-source', 75, { user: 'u_00000000000001d3', identity: { ...identity(0.5), source: 'x' } }),
        ],
      });
      expect(first.alertsRaised).toBe(1);
      expect(first.rejected.map((r) => r.scoreId)).toEqual(['id-bad', 'id-nan', 'id-source']);
      expect(first.rejected[0].reason).toMatch(/^identity\.mismatch: /);
      // A later score of the same window with a benign-looking session does not clear the doubt.
      await ingest.ingest('agent-d', { sequence: 2, scores: [score('id2', 82, { user, identity: identity(0.2) })] });
      // A score without identity (an older agent) neither.
      await ingest.ingest('agent-d', { sequence: 3, scores: [score('id3', 84, { user })] });
      const page = AlertPage.parse(await alerts.page(100));
      const alert = page.items.find((a) => a.user === user);
      const stored = await alerts.findRecord(alert!.id);
      expect(stored?.score).toBe(84);
      expect(stored?.identityMismatch).toBeCloseTo(0.97, 6);
      // An alert raised by a score without a judged session has none.
      await ingest.ingest('agent-d', { sequence: 4, scores: [score('id4', 90, { user: 'u_00000000000001d4' })] });
      const plain = AlertPage.parse(await alerts.page(100)).items.find((a) => a.user === 'u_00000000000001d4');
      expect((await alerts.findRecord(plain!.id))?.identityMismatch).toBeNull();
    },
  );

  it.skipIf(skip)('rejects malformed scores with the reason and keeps the good ones of the batch', async () => {
    const result = await ingest.ingest('agent-b', {
      sequence: 1,
      scores: [
        score('ok', 70, { user: 'u_0000000000000077' }),
        score('bad-range', 140),
        score('bad-window', 70, { windowEndMs: 0 }),
        score('bad-source', 70, { modelSource: '<img>' }),
      ],
    });
    expect(result.stored).toBe(1);
    expect(result.rejected.map((r) => r.scoreId)).toEqual(['bad-range', 'bad-window', 'bad-source']);
    expect(result.rejected[0].reason).toMatch(/^score: /);
  });
});
