// The overview's aggregates on SQLite and PostgreSQL, through the real repository and
// service (migrations applied, so the overview indexes exist), on seeded rows whose
// counts are known: inside and outside the range, agents with and without a unit.
import { beforeAll, describe, expect, it } from 'vitest';
import { AgentEntity } from '../agents/agent.entity';
import { AlertEntity } from '../alerts/alert.entity';
import { RiskScoreEntity } from '../alerts/risk-score.entity';
import { EventEntity } from '../events/event.entity';
import { databaseForTests } from '../testing/engine-database.fixture';
import { FakeClock } from '../testing/fakes/fakes';
import { testEngines } from '../testing/test-engines.fixture';
import { agentRow, alertRow, eventRow, failedLogon, insertRows, scoreRow, tokenOf } from './overview-rows.fixture';
import { OverviewRepository } from './overview.repository';
import { OverviewService } from './overview.service';
import { forecastRisk } from './risk-forecast';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 11, 2, 10, 30);
const TODAY = Date.UTC(2026, 11, 2);
const [u1, u2, u3, u4, u9] = [1, 2, 3, 4, 9].map((n) => tokenOf('u', n));
const ipA = tokenOf('ip', 0xa);
const hostB = tokenOf('h', 0xb);
const ipC = tokenOf('ip', 0xc);
/** Daily mean risk of u9 on the 10 days before today: 20, 23, … 47. */
const u9Risk = Array.from({ length: 10 }, (_, i) => 20 + 3 * i);

describe.each(testEngines)('overview on $name', ({ make, skip }) => {
  const open = databaseForTests({ make, skip });
  const sut = () => new OverviewService(new OverviewRepository(open.db), new FakeClock(T0));

  beforeAll(async () => {
    if (skip) return;
    const { db } = open;
    await insertRows(db, AgentEntity, [
      agentRow('a1', 'ws-icu-1', 'icu'),
      agentRow('a2', 'ws-icu-2', 'icu'),
      agentRow('a3', 'ws-ed-1', 'ed'),
      agentRow('a4', 'ws-lab-1', null),
    ]);
    await insertRows(db, AlertEntity, [
      alertRow({
        id: 'al1',
        agentId: 'a1',
        createdAt: T0 - HOUR,
        severity: 4,
        score: 80,
        user: u1,
        ruleIds: ['brute-force'],
      }),
      alertRow({
        id: 'al2',
        agentId: 'a1',
        createdAt: T0 - 2 * HOUR,
        severity: 5,
        score: 95,
        user: u1,
        ruleIds: ['ransomware-burst', 'mass-rename'],
      }),
      alertRow({ id: 'al3', agentId: 'a2', createdAt: T0 - 2 * HOUR, severity: 4, score: 70, user: u2 }),
      alertRow({
        id: 'al4',
        agentId: 'a3',
        createdAt: T0 - 3 * HOUR,
        severity: 3,
        score: 65,
        user: u3,
        ruleIds: ['brute-force'],
      }),
      // Outside the 24 h range, inside 7 days:
      alertRow({ id: 'al5', agentId: 'a3', createdAt: T0 - 3 * DAY, severity: 5, score: 99, user: u3 }),
    ]);
    await insertRows(db, EventEntity, [
      eventRow(failedLogon('f1', 'a1', T0 - HOUR, ipA)),
      eventRow(failedLogon('f2', 'a1', T0 - HOUR + 1, ipA)),
      eventRow(failedLogon('f3', 'a2', T0 - HOUR, ipA)),
      eventRow(failedLogon('f4', 'a3', T0 - HOUR, ipA)),
      eventRow(failedLogon('f5', 'a3', T0 - HOUR, hostB, true)),
      eventRow(failedLogon('f6', 'a3', T0 - 2 * HOUR, hostB, true)),
      eventRow(failedLogon('old', 'a3', T0 - 2 * DAY, ipC)),
      eventRow({ ...failedLogon('ok', 'a1', T0 - HOUR, ipC), action: 'logon' }),
      ...Array.from({ length: 5 }, (_, i) =>
        eventRow({
          id: `file-${i}`,
          agentId: 'a2',
          timeMs: T0 - i * HOUR,
          user: u2,
          category: 'file',
          action: 'create',
        }),
      ),
      eventRow({ id: 'p1', agentId: 'a4', timeMs: T0 - HOUR, user: u4, category: 'process', action: 'start' }),
      eventRow({ id: 'p-old', agentId: 'a4', timeMs: T0 - 3 * DAY, user: u4, category: 'process', action: 'start' }),
    ]);
    await insertRows(db, RiskScoreEntity, [
      scoreRow('s1', 'a1', u1, T0 - HOUR, 80),
      scoreRow('s2', 'a2', u2, T0 - HOUR, 40),
      scoreRow('s3', 'a3', u3, T0 - 2 * HOUR, 30),
      scoreRow('s4', 'a4', u4, T0 - 2 * HOUR, 10),
      ...u9Risk.flatMap((risk, i) => {
        const day = TODAY - (10 - i) * DAY;
        return [
          scoreRow(`u9-${i}-a`, 'a4', u9, day + HOUR, risk - 5),
          scoreRow(`u9-${i}-b`, 'a4', u9, day + 2 * HOUR, risk + 5),
        ];
      }),
    ]);
  });

  it.skipIf(skip)('counts alerts per hour and severity over the last 24 h, every hour present', async () => {
    const view = await sut().summary({ range: '24h' });
    expect(view.alertsOverTime).toHaveLength(24);
    expect(view.fromMs).toBe(Date.UTC(2026, 11, 1, 11));
    const at = (hour: number) => view.alertsOverTime.find((b) => b.startMs === Date.UTC(2026, 11, 2, hour))?.counts;
    expect(at(9)).toMatchObject({ high: 1, critical: 0 });
    expect(at(8)).toMatchObject({ high: 1, critical: 1 });
    expect(at(7)).toMatchObject({ medium: 1 });
    const total = view.alertsOverTime.reduce((n, b) => n + Object.values(b.counts).reduce((a, c) => a + c, 0), 0);
    expect(total).toBe(4);
    const week = await sut().summary({ range: '7d' });
    expect(week.alertsOverTime).toHaveLength(7);
    expect(week.alertsOverTime.find((b) => b.startMs === TODAY - 3 * DAY)?.counts.critical).toBe(1);
  });

  it.skipIf(skip)('ranks users, workstations and sources', async () => {
    const view = await sut().summary({ range: '24h' });
    expect(view.topUsers).toEqual([
      { key: u1, label: u1, alerts: 2, maxScore: 95 },
      { key: u2, label: u2, alerts: 1, maxScore: 70 },
      { key: u3, label: u3, alerts: 1, maxScore: 65 },
    ]);
    expect(view.topWorkstations).toEqual([
      { key: 'a1', label: 'ws-icu-1', alerts: 2, maxScore: 95 },
      { key: 'a2', label: 'ws-icu-2', alerts: 1, maxScore: 70 },
      { key: 'a3', label: 'ws-ed-1', alerts: 1, maxScore: 65 },
    ]);
    expect(view.topSources).toEqual([
      { source: ipA, failedLogons: 4, workstations: 3 },
      { source: hostB, failedLogons: 2, workstations: 1 },
    ]);
  });

  it.skipIf(skip)('gives risk by unit, events by category and ATT&CK coverage', async () => {
    const view = await sut().summary({ range: '24h' });
    expect(view.riskByUnit).toEqual([
      { unit: 'icu', meanScore: 60, maxScore: 80, windows: 2 },
      { unit: 'ed', meanScore: 30, maxScore: 30, windows: 1 },
      { unit: '', meanScore: 10, maxScore: 10, windows: 1 },
    ]);
    expect(view.eventsByCategory).toEqual([
      { category: 'file', events: 5 },
      { category: 'login', events: 7 },
      { category: 'process', events: 1 },
      { category: 'device', events: 0 },
      { category: 'network', events: 0 },
    ]);
    const coverage = new Map(view.attackCoverage.map((c) => [c.id, c.alerts]));
    expect(coverage.get('T1110.001')).toBe(2);
    expect(coverage.get('T1486')).toBe(1);
    expect(coverage.get('T1485')).toBe(0);
  });

  it.skipIf(skip)("returns a user's daily risk with Holt's forecast, and a unit's", async () => {
    const trend = await sut().riskTrend({ kind: 'user', id: u9, days: 30, horizon: 7 });
    expect(trend.history).toEqual(u9Risk.map((risk, i) => ({ dayMs: TODAY - (10 - i) * DAY, risk })));
    const expected = forecastRisk(u9Risk, 7);
    expect(trend.forecast).toHaveLength(7);
    expect(trend.forecast[0]).toEqual({
      dayMs: TODAY,
      risk: expected[0].value,
      low: expected[0].low,
      high: expected[0].high,
    });
    // A steady rise forecasts a rise.
    expect(trend.forecast[6].risk).toBeGreaterThan(u9Risk[9]);

    const icu = await sut().riskTrend({ kind: 'unit', id: 'icu', days: 30, horizon: 7 });
    expect(icu.history).toEqual([{ dayMs: TODAY, risk: 60 }]);
    expect(icu.forecast).toEqual([]);
    const none = await sut().riskTrend({ kind: 'unit', id: '', days: 30, horizon: 7 });
    expect(none.history.map((d) => d.risk)).toEqual([...u9Risk, 10]);
    // A workstation's own windows: a4 holds u9's ten days and today's 10; a1 only today's.
    const a4 = await sut().riskTrend({ kind: 'agent', id: 'a4', days: 30, horizon: 7 });
    expect(a4.history).toEqual(none.history);
    expect(a4.forecast).toEqual(none.forecast);
    const a1 = await sut().riskTrend({ kind: 'agent', id: 'a1', days: 30, horizon: 7 });
    expect(a1.history).toEqual([{ dayMs: TODAY, risk: 80 }]);
  });
});
