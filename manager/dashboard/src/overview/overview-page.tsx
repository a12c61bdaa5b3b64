// The analyst's landing page: alerts over time by severity, the users, workstations
// and sources behind them (pseudonym tokens and enrolled host names, as everywhere),
// risk by unit, events by category, the ATT&CK techniques the shipped rules cover, and
// one unit's or user's risk trend with its forecast. Refreshed every 30 s like the
// other pages (usePolling); a new range starts a new poll.
import type { OverviewRange, OverviewView, RiskSubjectKind, RiskTrend } from '@wardwatch/shared';
import { overviewRanges } from '@wardwatch/shared';
import { useCallback, useMemo, useState } from 'react';
import type { ApiClient } from '../api/api-client';
import { ErrorBanner } from '../common/error-banner';
import { formatAbsolute } from '../common/format';
import { usePolling } from '../common/use-polling';
import { ChartFigure } from './chart-canvas';
import { AttackCoverageTable } from './attack-coverage-table';
import { alertsChart, barChart, totalAlerts, trendChart, unitLabel, unitRiskChart } from './overview-display';
import './overview.css';

export const OVERVIEW_REFRESH_MS = 30_000;

const rangeNames: Record<OverviewRange, string> = { '24h': '24 h', '7d': '7 days', '30d': '30 days' };

export function OverviewPage({ api }: { api: ApiClient }) {
  const [range, setRange] = useState<OverviewRange>('24h');
  return (
    <section aria-labelledby="overview-title">
      <div className="page-head">
        <h1 id="overview-title">Overview</h1>
        <div role="group" aria-label="Time range" className="range-picker">
          {overviewRanges.map((r) => (
            <button
              key={r}
              type="button"
              aria-pressed={r === range}
              data-testid={`range-${r}`}
              onClick={() => setRange(r)}
            >
              {rangeNames[r]}
            </button>
          ))}
        </div>
      </div>
      <OverviewBody key={range} api={api} range={range} />
    </section>
  );
}

function OverviewBody({ api, range }: { api: ApiClient; range: OverviewRange }) {
  const load = useCallback(() => api.overview(range), [api, range]);
  const polled = usePolling<OverviewView>(load, OVERVIEW_REFRESH_MS);
  const view = polled.data;
  return (
    <>
      <p className="muted" data-testid="overview-status">
        {view
          ? `${totalAlerts(view)} alerts from ${formatAbsolute(view.fromMs)} to ${formatAbsolute(view.toMs)}; refreshed every 30 s`
          : polled.loading
            ? 'Loading…'
            : ''}
      </p>
      <ErrorBanner message={polled.error} />
      {view ? <OverviewCharts api={api} view={view} /> : null}
    </>
  );
}

function OverviewCharts({ api, view }: { api: ApiClient; view: OverviewView }) {
  const alerts = useMemo(() => alertsChart(view), [view]);
  const units = useMemo(() => unitRiskChart(view), [view]);
  const users = useMemo(
    () =>
      barChart(
        'alerts',
        view.topUsers.map((u) => ({ label: u.label, value: u.alerts })),
        '#0072B2',
      ),
    [view],
  );
  const workstations = useMemo(
    () =>
      barChart(
        'alerts',
        view.topWorkstations.map((w) => ({ label: w.label, value: w.alerts })),
        '#009E73',
      ),
    [view],
  );
  const sources = useMemo(
    () =>
      barChart(
        'failed logons',
        view.topSources.map((s) => ({ label: s.source, value: s.failedLogons })),
        '#D55E00',
      ),
    [view],
  );
  const categories = useMemo(
    () =>
      barChart(
        'events',
        view.eventsByCategory.map((c) => ({ label: c.category, value: c.events })),
        '#56B4E9',
        false,
      ),
    [view],
  );
  return (
    <div className="overview-grid">
      <ChartFigure
        id="alerts-over-time"
        title="Alerts over time by severity"
        summary={`${totalAlerts(view)} alerts in ${view.alertsOverTime.length} buckets`}
        config={alerts.config}
        table={alerts.table}
        tall
      />
      <ChartFigure
        id="top-users"
        title="Top users by alerts"
        summary={`${view.topUsers.length} users`}
        config={users}
        table={{
          columns: ['user', 'alerts', 'highest score'],
          rows: view.topUsers.map((u) => [u.label, u.alerts, u.maxScore]),
        }}
      />
      <ChartFigure
        id="top-workstations"
        title="Top workstations by alerts"
        summary={`${view.topWorkstations.length} workstations`}
        config={workstations}
        table={{
          columns: ['workstation', 'alerts', 'highest score'],
          rows: view.topWorkstations.map((w) => [w.label, w.alerts, w.maxScore]),
        }}
      />
      <ChartFigure
        id="top-sources"
        title="Top logon sources by failed logons"
        summary={`${view.topSources.length} sources`}
        config={sources}
        table={{
          columns: ['source', 'failed logons', 'workstations'],
          rows: view.topSources.map((s) => [s.source, s.failedLogons, s.workstations]),
        }}
      />
      <ChartFigure
        id="risk-by-unit"
        title="Risk by unit"
        summary={`${view.riskByUnit.length} units`}
        config={units.config}
        table={units.table}
      />
      <ChartFigure
        id="events-by-category"
        title="Events by category"
        summary={view.eventsByCategory.map((c) => `${c.category} ${c.events}`).join(', ')}
        config={categories}
        table={{ columns: ['category', 'events'], rows: view.eventsByCategory.map((c) => [c.category, c.events]) }}
      />
      <AttackCoverageTable coverage={view.attackCoverage} />
      <RiskTrendPanel api={api} view={view} />
    </div>
  );
}

interface Subject {
  kind: RiskSubjectKind;
  id: string;
}

const subjectValue = (s: Subject) => `${s.kind}:${s.id}`;

function RiskTrendPanel({ api, view }: { api: ApiClient; view: OverviewView }) {
  const subjects: Subject[] = [
    ...view.riskByUnit.map((u) => ({ kind: 'unit' as const, id: u.unit })),
    ...view.topUsers.map((u) => ({ kind: 'user' as const, id: u.key })),
  ];
  const [chosen, setChosen] = useState<string>();
  const subject = subjects.find((s) => subjectValue(s) === chosen) ?? subjects[0];
  return (
    <section className="trend" aria-labelledby="trend-title">
      <h2 id="trend-title">Risk trend and forecast</h2>
      {subject ? (
        <>
          <label>
            For{' '}
            <select
              data-testid="trend-subject"
              value={subjectValue(subject)}
              onChange={(e) => setChosen(e.target.value)}
            >
              {subjects.map((s) => (
                <option key={subjectValue(s)} value={subjectValue(s)}>
                  {s.kind === 'unit' ? `unit ${unitLabel(s.id)}` : `user ${s.id}`}
                </option>
              ))}
            </select>
          </label>
          <TrendChart key={subjectValue(subject)} api={api} subject={subject} />
        </>
      ) : (
        <p className="muted">No scored units or users in this range.</p>
      )}
    </section>
  );
}

function TrendChart({ api, subject }: { api: ApiClient; subject: Subject }) {
  const load = useCallback(() => api.riskTrend(subject.kind, subject.id), [api, subject.kind, subject.id]);
  const polled = usePolling<RiskTrend>(load, OVERVIEW_REFRESH_MS);
  const trend = polled.data;
  const chart = useMemo(() => (trend ? trendChart(trend) : undefined), [trend]);
  if (!trend || !chart) return <ErrorBanner message={polled.error} />;
  return (
    <>
      <ErrorBanner message={polled.error} />
      <ChartFigure
        id="risk-trend"
        title={`Daily risk, ${subject.kind === 'unit' ? `unit ${unitLabel(subject.id)}` : `user ${subject.id}`}`}
        summary={`${trend.history.length} days observed, ${trend.forecast.length} days forecast`}
        config={chart.config}
        table={chart.table}
      />
      <p className="muted" data-testid="trend-method">
        {trend.forecast.length
          ? `${trend.method}. A forecast, not a verdict: it extends the recent trend.`
          : `No forecast: fewer than ${trend.minDays} days with scores.`}
      </p>
    </>
  );
}
