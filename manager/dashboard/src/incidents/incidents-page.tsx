// Fleet-wide incidents: the list (newest activity first), or one incident with its
// evidence events when the hash names one (`#/incidents/<id>`). Every string came from
// workstations or from the manager's reason: React text only.
import type { IncidentDetail, IncidentList } from '@wardwatch/shared';
import { useCallback } from 'react';
import type { ApiClient } from '../api/api-client';
import { detailSummary } from '../alerts/alert-evidence';
import { EmptyRow } from '../common/empty-row';
import { ErrorBanner } from '../common/error-banner';
import { TimeCell } from '../common/time-cell';
import { useNow, usePolling } from '../common/use-polling';
import { ColumnHeads, type Columns } from '../common/column-heads';
import { hashFor, hashForIncident } from '../navigation/route';

export const INCIDENTS_REFRESH_MS = 5_000;

const kindText = {
  source_failed_logons: 'failed logons from one source',
  account_cross_host: 'account on many workstations',
};

export function IncidentsPage({ api, incidentId }: { api: ApiClient; incidentId?: string }) {
  if (incidentId !== undefined) return <IncidentDetailView key={incidentId} api={api} incidentId={incidentId} />;
  return <IncidentListView api={api} />;
}

const INCIDENT_COLUMNS: Columns = [
  'Last seen',
  'Kind',
  'Subject',
  'Reason',
  { label: 'Evidence', numeric: true },
  'Status',
];

function IncidentListView({ api }: { api: ApiClient }) {
  const load = useCallback(() => api.incidents(), [api]);
  const incidents = usePolling<IncidentList>(load, INCIDENTS_REFRESH_MS);
  const now = useNow();
  const items = incidents.data?.items ?? [];
  return (
    <section aria-labelledby="incidents-title">
      <div className="page-head">
        <h1 id="incidents-title">Incidents</h1>
        <p className="muted">{incidents.data ? `${items.length} shown` : incidents.loading ? 'Loading…' : ''}</p>
      </div>
      <ErrorBanner message={incidents.error} />
      <div className="table-wrap">
        <table>
          <ColumnHeads columns={INCIDENT_COLUMNS} />
          <tbody>
            {items.map((incident) => (
              <tr key={incident.id} data-testid="incident-row" data-incident-id={incident.id}>
                <td>
                  <TimeCell ms={incident.lastSeenMs} now={now} />
                </td>
                <td>{kindText[incident.kind]}</td>
                <td className="mono strong">
                  <a href={hashForIncident(incident.id)} data-testid="incident-open">
                    {incident.subject}
                  </a>
                </td>
                <td data-testid="incident-reason">{incident.reason}</td>
                <td className="num">{incident.evidenceCount}</td>
                <td data-testid="incident-status">{incident.status}</td>
              </tr>
            ))}
            <EmptyRow show={Boolean(incidents.data) && items.length === 0} columns={INCIDENT_COLUMNS}>
              No incidents.
            </EmptyRow>
          </tbody>
        </table>
      </div>
    </section>
  );
}

const EVIDENCE_COLUMNS: Columns = ['Time', 'Workstation', 'Event', 'User', 'Detail'];

function IncidentDetailView({ api, incidentId }: { api: ApiClient; incidentId: string }) {
  const load = useCallback(() => api.incident(incidentId), [api, incidentId]);
  const detail = usePolling<IncidentDetail>(load, INCIDENTS_REFRESH_MS);
  const now = useNow();
  const incident = detail.data?.incident;
  return (
    <section aria-labelledby="incident-title">
      <p>
        <a href={hashFor('incidents')} data-testid="incident-back">
          ← Incidents
        </a>
      </p>
      <ErrorBanner message={detail.error} />
      {incident ? (
        <>
          <h1 id="incident-title" className="mono">
            {incident.subject}
          </h1>
          <p data-testid="incident-detail-reason">{incident.reason}</p>
          <dl className="facts">
            <dt>Status</dt>
            <dd>{incident.status}</dd>
            <dt>Accounts ({incident.accountCount})</dt>
            <dd className="mono" data-testid="incident-accounts">
              {incident.accounts.join(', ') || '—'}
            </dd>
            <dt>Workstations ({incident.workstationCount})</dt>
            <dd data-testid="incident-workstations">{incident.workstations.join(', ') || '—'}</dd>
          </dl>
          <h2>Evidence: {incident.evidenceCount} events</h2>
          <div className="table-wrap">
            <table>
              <ColumnHeads columns={EVIDENCE_COLUMNS} />
              <tbody>
                {(detail.data?.events ?? []).map((event) => (
                  <tr key={`${event.agentId}/${event.id}`} data-testid="incident-evidence-event">
                    <td>
                      <TimeCell ms={event.timeMs} now={now} />
                    </td>
                    <td>{event.hostname}</td>
                    <td className="mono">
                      {event.category} {event.action}
                    </td>
                    <td className="mono">{event.user}</td>
                    <td>{detailSummary(event.detail)}</td>
                  </tr>
                ))}
                <EmptyRow show={(detail.data?.events.length ?? 0) === 0} columns={EVIDENCE_COLUMNS}>
                  No stored events (retention may have removed them).
                </EmptyRow>
              </tbody>
            </table>
          </div>
          {detail.data && detail.data.evidenceNotListed > 0 ? (
            <p className="muted" data-testid="incident-evidence-more">
              {detail.data.evidenceNotListed} more events are counted but not listed.
            </p>
          ) : null}
        </>
      ) : detail.loading ? (
        <p className="muted">Loading…</p>
      ) : null}
    </section>
  );
}
