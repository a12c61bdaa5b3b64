import type { OverviewView, RiskTrend } from '@wardwatch/shared';
import { describe, expect, it } from 'vitest';
import { alertsChart, bucketLabel, totalAlerts, trendChart, unitRiskChart } from './overview-display';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const zero = { unspecified: 0, info: 0, low: 0, medium: 0, high: 0, critical: 0 };

const view: OverviewView = {
  range: '24h',
  fromMs: Date.UTC(2026, 11, 1, 11),
  toMs: Date.UTC(2026, 11, 1, 13),
  bucketMs: HOUR,
  alertsOverTime: [
    { startMs: Date.UTC(2026, 11, 1, 11), counts: { ...zero, high: 2 } },
    { startMs: Date.UTC(2026, 11, 1, 12), counts: { ...zero, high: 1, critical: 3 } },
  ],
  topUsers: [],
  topWorkstations: [],
  topSources: [],
  riskByUnit: [
    { unit: 'icu', meanScore: 61.26, maxScore: 90, windows: 4 },
    { unit: '', meanScore: 10, maxScore: 10, windows: 1 },
  ],
  eventsByCategory: [],
  attackCoverage: [],
};

describe('overview display', () => {
  it('labels hourly buckets by UTC hour and daily ones by month-day', () => {
    expect(bucketLabel(Date.UTC(2026, 11, 1, 7), HOUR)).toBe('07:00');
    expect(bucketLabel(Date.UTC(2026, 0, 5), DAY)).toBe('01-05');
  });

  it('stacks only the severities that occur, and tables every one', () => {
    const { config, table } = alertsChart(view);
    expect(config.data.labels).toEqual(['11:00', '12:00']);
    expect(config.data.datasets.map((d) => [d.label, d.data])).toEqual([
      ['high', [2, 1]],
      ['critical', [0, 3]],
    ]);
    expect(table.rows).toEqual([
      ['11:00', 0, 0, 0, 0, 2, 0],
      ['12:00', 0, 0, 0, 0, 1, 3],
    ]);
    expect(totalAlerts(view)).toBe(6);
  });

  it('names the unit-less workstations and rounds scores to a tenth', () => {
    expect(unitRiskChart(view).table.rows).toEqual([
      ['icu', 61.3, 90, 4],
      ['(no unit)', 10, 10, 1],
    ]);
  });

  it('joins the forecast to the last observed day and lists both in the table', () => {
    const trend: RiskTrend = {
      kind: 'unit',
      id: 'icu',
      history: [
        { dayMs: 0, risk: 10 },
        { dayMs: DAY, risk: 20 },
      ],
      forecast: [{ dayMs: 2 * DAY, risk: 25, low: 20, high: 30 }],
      method: 'm',
      minDays: 7,
    };
    const { config, table } = trendChart(trend);
    expect(config.data.datasets[0].data).toEqual([10, 20, null]);
    expect(config.data.datasets[1].data).toEqual([null, 20, 25]);
    expect(config.data.datasets[3].data).toEqual([null, 20, 30]);
    expect(table.rows).toEqual([
      ['01-01', 10, '', '', ''],
      ['01-02', 20, '', '', ''],
      ['01-03', '', 25, 20, 30],
    ]);
  });
});
