// The Reports page's incident-report tables: the newest alerts and the newest fleet
// incidents, each row with its report (printable HTML, PDF) and its timeline (CSV).
// Titles, reasons and subjects came from workstations: React text only.
import type { AlertPage, IncidentList } from '@wardwatch/shared';
import { useEffect, useState } from 'react';
import { errorMessage, type ApiClient } from '../api/api-client';
import { EmptyRow } from '../common/empty-row';
import { ErrorBanner } from '../common/error-banner';
import { formatAbsolute } from '../common/format';
import { ColumnHeads, type Columns } from '../common/column-heads';
import { incidentReportUrl, timelineExportUrl } from './report-links';

/** Rows shown per table: the newest; older reports are reached from the alert or incident itself. */
const ROWS_SHOWN = 25;

export function IncidentReports({ api }: { api: ApiClient }) {
  return (
    <>
      <h2>Incident reports</h2>
      <p className="muted">
        The breach-notification clock runs 60 days from when the alert or incident was raised; each report shows the
        days left.
      </p>
      <AlertReports api={api} />
      <FleetIncidentReports api={api} />
    </>
  );
}

const ALERT_REPORT_COLUMNS: Columns = ['Raised', 'Alert', 'Status', 'Report'];

function AlertReports({ api }: { api: ApiClient }) {
  const { data, error } = useLoaded(api, loadAlerts);
  const items = (data?.items ?? []).slice(0, ROWS_SHOWN);
  return (
    <>
      <h3>Alerts</h3>
      <ErrorBanner message={error} />
      <div className="table-wrap">
        <table>
          <ColumnHeads columns={ALERT_REPORT_COLUMNS} />
          <tbody>
            {items.map((alert) => (
              <tr key={alert.id} data-testid="report-alert-row">
                <td>{formatAbsolute(alert.createdAt)}</td>
                <td>{alert.title}</td>
                <td>{alert.status}</td>
                <ReportLinks subject="alert" id={alert.id} />
              </tr>
            ))}
            <EmptyRow show={Boolean(data) && items.length === 0} columns={ALERT_REPORT_COLUMNS}>
              No alerts.
            </EmptyRow>
          </tbody>
        </table>
      </div>
    </>
  );
}

const INCIDENT_REPORT_COLUMNS: Columns = ['First seen', 'Incident', 'Status', 'Report'];

function FleetIncidentReports({ api }: { api: ApiClient }) {
  const { data, error } = useLoaded(api, loadIncidents);
  const items = (data?.items ?? []).slice(0, ROWS_SHOWN);
  return (
    <>
      <h3>Fleet incidents</h3>
      <ErrorBanner message={error} />
      <div className="table-wrap">
        <table>
          <ColumnHeads columns={INCIDENT_REPORT_COLUMNS} />
          <tbody>
            {items.map((incident) => (
              <tr key={incident.id} data-testid="report-incident-row">
                <td>{formatAbsolute(incident.firstSeenMs)}</td>
                <td>{incident.reason}</td>
                <td>{incident.status}</td>
                <ReportLinks subject="incident" id={incident.id} />
              </tr>
            ))}
            <EmptyRow show={Boolean(data) && items.length === 0} columns={INCIDENT_REPORT_COLUMNS}>
              No fleet incidents.
            </EmptyRow>
          </tbody>
        </table>
      </div>
    </>
  );
}

function ReportLinks({ subject, id }: { subject: 'alert' | 'incident'; id: string }) {
  return (
    <td className="report-links">
      <a
        href={incidentReportUrl(subject, id, 'html')}
        target="_blank"
        rel="noopener noreferrer"
        data-testid={`${subject}-report-html`}
      >
        HTML
      </a>{' '}
      <a href={incidentReportUrl(subject, id, 'pdf')} download data-testid={`${subject}-report-pdf`}>
        PDF
      </a>{' '}
      <a href={timelineExportUrl(subject, id, 'csv')} download data-testid={`${subject}-timeline-csv`}>
        Timeline CSV
      </a>
    </td>
  );
}

// Module-level loaders: the same function every render, so a table loads once per client.
const loadAlerts = (api: ApiClient): Promise<AlertPage> => api.alerts();
const loadIncidents = (api: ApiClient): Promise<IncidentList> => api.incidents();

/** One load when the page opens; a later answer for an unmounted table is dropped. */
function useLoaded<T>(api: ApiClient, load: (api: ApiClient) => Promise<T>): { data?: T; error?: string } {
  const [state, setState] = useState<{ data?: T; error?: string }>({});
  useEffect(() => {
    let current = true;
    load(api).then(
      (data) => current && setState({ data }),
      (cause: unknown) => current && setState({ error: errorMessage(cause) }),
    );
    return () => {
      current = false;
    };
  }, [api, load]);
  return state;
}
