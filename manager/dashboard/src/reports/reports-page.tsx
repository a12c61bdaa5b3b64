// Compliance reports: the HIPAA §164.312 evidence report for a chosen period (each
// safeguard with what WardWatch does, the evidence counted and the gaps found), its
// printable HTML and PDF, the alerts export, and each recent alert's and fleet incident's
// incident report (incident-reports.tsx).
// Every value may come from a workstation: React text only. Each report taken is audited.
import type { HipaaReport, SafeguardPart } from '@wardwatch/shared';
import { useEffect, useState } from 'react';
import { errorMessage, type ApiClient } from '../api/api-client';
import { ErrorBanner } from '../common/error-banner';
import { formatAbsolute } from '../common/format';
import { IncidentReports } from './incident-reports';
import {
  alertsExportUrl,
  hipaaReportUrl,
  lastDays,
  reportPeriods,
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
