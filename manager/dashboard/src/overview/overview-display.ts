// Pure shaping of the overview's answers into what the charts draw and the tables say:
// labels, datasets and rows. Every string from a workstation stays a string (Chart.js
// draws it as canvas text; the tables render it as React text).
import type { OverviewView, RiskTrend, SeverityName } from '@wardwatch/shared';
import type { ChartConfiguration } from 'chart.js';
import type { DataTable } from './chart-canvas';

/** Severities drawn, lowest first (stacked upwards); unspecified and info rarely raise alerts but are kept. */
export const drawnSeverities: readonly SeverityName[] = ['unspecified', 'info', 'low', 'medium', 'high', 'critical'];

/** Colours that stay apart for the common colour-vision deficiencies (Okabe–Ito). */
export const severityColours: Record<SeverityName, string> = {
  unspecified: '#999999',
  info: '#56B4E9',
  low: '#009E73',
  medium: '#F0E442',
  high: '#E69F00',
  critical: '#D55E00',
};

const pad = (n: number) => String(n).padStart(2, '0');

/** "14:00" for hourly buckets, "12-02" (month-day) for daily ones, in UTC as the buckets are. */
export function bucketLabel(startMs: number, bucketMs: number): string {
  const d = new Date(startMs);
  return bucketMs < 86_400_000 ? `${pad(d.getUTCHours())}:00` : `${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

export const unitLabel = (unit: string) => (unit === '' ? '(no unit)' : unit);

export function totalAlerts(view: OverviewView): number {
  return view.alertsOverTime.reduce((n, b) => n + Object.values(b.counts).reduce((a, c) => a + c, 0), 0);
}

export function alertsChart(view: OverviewView): { config: ChartConfiguration; table: DataTable } {
  const labels = view.alertsOverTime.map((b) => bucketLabel(b.startMs, view.bucketMs));
  // Severities with no alert in the range are left out of the legend.
  const shown = drawnSeverities.filter((s) => view.alertsOverTime.some((b) => b.counts[s] > 0));
  return {
    config: {
      type: 'bar',
      data: {
        labels,
        datasets: shown.map((s) => ({
          label: s,
          data: view.alertsOverTime.map((b) => b.counts[s]),
          backgroundColor: severityColours[s],
        })),
      },
      options: stacked(),
    },
    table: {
      columns: ['bucket', ...drawnSeverities],
      rows: view.alertsOverTime.map((b, i) => [labels[i], ...drawnSeverities.map((s) => b.counts[s])]),
    },
  };
}

/** A horizontal bar chart of one count per labelled row (top N lists, categories). */
export function barChart(
  label: string,
  rows: readonly { label: string; value: number }[],
  colour: string,
  horizontal = true,
): ChartConfiguration {
  return {
    type: 'bar',
    data: {
      labels: rows.map((r) => r.label),
      datasets: [{ label, data: rows.map((r) => r.value), backgroundColor: colour }],
    },
    options: {
      indexAxis: horizontal ? 'y' : 'x',
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      plugins: { legend: { display: false } },
      scales: { [horizontal ? 'x' : 'y']: { beginAtZero: true, ticks: { precision: 0 } } },
    },
  };
}

export function unitRiskChart(view: OverviewView): { config: ChartConfiguration; table: DataTable } {
  const labels = view.riskByUnit.map((u) => unitLabel(u.unit));
  return {
    config: {
      type: 'bar',
      data: {
        labels,
        datasets: [
          { label: 'mean score', data: view.riskByUnit.map((u) => round1(u.meanScore)), backgroundColor: '#0072B2' },
          { label: 'highest score', data: view.riskByUnit.map((u) => round1(u.maxScore)), backgroundColor: '#CC79A7' },
        ],
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: { y: { beginAtZero: true, max: 100 } },
      },
    },
    table: {
      columns: ['unit', 'mean score', 'highest score', 'scored windows'],
      rows: view.riskByUnit.map((u, i) => [labels[i], round1(u.meanScore), round1(u.maxScore), u.windows]),
    },
  };
}

/** History as a line, the forecast as a dashed line inside its shaded interval. */
export function trendChart(trend: RiskTrend): { config: ChartConfiguration; table: DataTable } {
  const days = [...trend.history.map((d) => d.dayMs), ...trend.forecast.map((d) => d.dayMs)];
  const labels = days.map((ms) => bucketLabel(ms, 86_400_000));
  const gap = trend.history.map(() => null);
  const lastObserved = trend.history.at(-1)?.risk ?? null;
  // The forecast line starts at the last observed day so the two lines join.
  const joinAt = (values: number[]) => [...gap.slice(1), lastObserved, ...values];
  return {
    config: {
      type: 'line',
      data: {
        labels,
        datasets: [
          {
            label: 'daily risk',
            data: [...trend.history.map((d) => round1(d.risk)), ...trend.forecast.map(() => null)],
            borderColor: '#0072B2',
            backgroundColor: '#0072B2',
          },
          {
            label: 'forecast',
            data: trend.forecast.length ? joinAt(trend.forecast.map((d) => round1(d.risk))) : [],
            borderColor: '#D55E00',
            backgroundColor: '#D55E00',
            borderDash: [6, 4],
          },
          {
            label: 'interval low',
            data: trend.forecast.length ? joinAt(trend.forecast.map((d) => round1(d.low))) : [],
            borderColor: 'transparent',
            pointRadius: 0,
          },
          {
            label: '80 % interval',
            data: trend.forecast.length ? joinAt(trend.forecast.map((d) => round1(d.high))) : [],
            borderColor: 'transparent',
            backgroundColor: 'rgba(213, 94, 0, 0.18)',
            pointRadius: 0,
            fill: '-1',
          },
        ],
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: { y: { beginAtZero: true, max: 100 } },
        plugins: { legend: { labels: { filter: (item) => item.text !== 'interval low' } } },
      },
    },
    table: {
      columns: ['day', 'risk', 'forecast', 'low', 'high'],
      rows: [
        ...trend.history.map((d) => [bucketLabel(d.dayMs, 86_400_000), round1(d.risk), '', '', '']),
        ...trend.forecast.map((d) => [
          bucketLabel(d.dayMs, 86_400_000),
          '',
          round1(d.risk),
          round1(d.low),
          round1(d.high),
        ]),
      ],
    },
  };
}

export const round1 = (x: number) => Math.round(x * 10) / 10;

function stacked(): ChartConfiguration['options'] {
  return {
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } },
  };
}
