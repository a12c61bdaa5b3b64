// Compliance reports: the HIPAA §164.312 evidence report for a chosen period (each
// safeguard with what WardWatch does, the evidence counted and the gaps found), its
// printable HTML and PDF, the alerts export, and each recent alert's incident report.
// Every value may come from a workstation: React text only. Each report taken is audited.
import type { AlertPage, HipaaReport, SafeguardPart } from '@wardwatch/shared';
import { useEffect, useState } from 'react';
import { errorMessage, type ApiClient } from '../api/api-client';
import { EmptyRow } from '../common/empty-row';
import { ErrorBanner } from '../common/error-banner';
import { formatAbsolute } from '../common/format';
import {
  alertsExportUrl,
  hipaaReportUrl,
  incidentReportUrl,
  lastDays,
  reportPeriods,
  timelineExportUrl,
  type Period,
  type ReportPeriodDays,
} from './report-links';
import './reports.css';

export function ReportsPage({ api }: { api: ApiClient }) {
  const [days, setDays] = useState<ReportPeriodDays>(30);
  const [period, setPeriod] = useState<Period>(() => lastDays(30, Date.now()));
  const [report, setReport] = useState<HipaaReport>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    let current = true;
    api.hipaaReport(period.fromMs, period.toMs).then(
      (value) => {
        if (!current) return;
        setReport(value);
        setError(undefined);
      },
      (cause: unknown) => current && setError(errorMessage(cause)),
    );
    return () => {
      current = false;
    };
  }, [api, period]);

  const choose = (value: string) => {
    const next = reportPeriods.find((d) => String(d) === value) ?? 30;
    setDays(next);
    setReport(undefined);
    setPeriod(lastDays(next, Date.now()));
  };

  return (
    <section aria-labelledby="reports-title" className="reports">
      <div className="page-head">
        <h1 id="reports-title">Reports</h1>
        <div className="head-tools">
          <label>
            Period{' '}
            <select value={days} onChange={(e) => choose(e.target.value)} data-testid="report-period">
              {reportPeriods.map((d) => (
                <option key={d} value={d}>
                  last {d} days
                </option>
              ))}
            </select>
          </label>
          <a href={hipaaReportUrl('pdf', period)} download data-testid="hipaa-pdf">
            Download PDF
          </a>
          <a href={hipaaReportUrl('html', period)} target="_blank" rel="noopener noreferrer" data-testid="hipaa-html">
            Printable HTML
          </a>
          <a href={alertsExportUrl('csv', period)} download data-testid="alerts-csv">
            Alerts CSV
          </a>
          <a href={alertsExportUrl('json', period)} download>
            Alerts JSON
          </a>
        </div>
      </div>
      <ErrorBanner message={error} />
      <h2>HIPAA §164.312 technical safeguards</h2>
      {report ? (
        <p className="muted" data-testid="hipaa-summary">
          {formatAbsolute(report.fromMs)} to {formatAbsolute(report.toMs)}: {report.gapCount} gap(s) found.
        </p>
      ) : (
        <p className="muted">Loading…</p>
      )}
      {report?.safeguards.map((safeguard) => (
        <article key={safeguard.id} className="safeguard" data-testid="safeguard" data-safeguard={safeguard.id}>
          <h3>
            {safeguard.section} {safeguard.title}
          </h3>
          {safeguard.parts.map((part) => (
            <SafeguardPartView key={part.title} part={part} />
          ))}
        </article>
      ))}
      <IncidentReports api={api} />
    </section>
  );
}

function SafeguardPartView({ part }: { part: SafeguardPart }) {
  return (
    <div className="safeguard-part">
      <h4>{part.title}</h4>
      <ul className="does">
        {part.does.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
      <table className="evidence">
        <tbody>
          {part.evidence.map((item) => (
            <tr key={item.label}>
              <th scope="row">{item.label}</th>
              <td className="num">{String(item.value)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {part.gaps.length === 0 ? (
        <p className="ok">No gap found.</p>
      ) : (
        <ul className="gaps">
          {part.gaps.map((gap) => (
            <li key={gap} data-testid="gap">
              {gap}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The newest alerts, each with its incident report (HTML, PDF) and timeline (CSV). */
function IncidentReports({ api }: { api: ApiClient }) {
  const [alerts, setAlerts] = useState<AlertPage>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    let current = true;
    api.alerts().then(
      (page) => current && setAlerts(page),
      (cause: unknown) => current && setError(errorMessage(cause)),
    );
    return () => {
      current = false;
    };
  }, [api]);
  const items = (alerts?.items ?? []).slice(0, 25);
  return (
    <>
      <h2>Incident reports</h2>
      <p className="muted">
        The breach-notification clock runs 60 days from when the alert was raised; each report shows the days left.
      </p>
      <ErrorBanner message={error} />
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Raised</th>
              <th scope="col">Alert</th>
              <th scope="col">Status</th>
              <th scope="col">Report</th>
            </tr>
          </thead>
          <tbody>
            {items.map((alert) => (
              <tr key={alert.id} data-testid="report-alert-row">
                <td>{formatAbsolute(alert.createdAt)}</td>
                <td>{alert.title}</td>
                <td>{alert.status}</td>
                <td className="report-links">
                  <a href={incidentReportUrl('alert', alert.id, 'html')} target="_blank" rel="noopener noreferrer">
                    HTML
                  </a>{' '}
                  <a href={incidentReportUrl('alert', alert.id, 'pdf')} download data-testid="alert-report-pdf">
                    PDF
                  </a>{' '}
                  <a href={timelineExportUrl('alert', alert.id, 'csv')} download>
                    Timeline CSV
                  </a>
                </td>
              </tr>
            ))}
            <EmptyRow show={Boolean(alerts) && items.length === 0} columns={4}>
              No alerts.
            </EmptyRow>
          </tbody>
        </table>
      </div>
    </>
  );
}
