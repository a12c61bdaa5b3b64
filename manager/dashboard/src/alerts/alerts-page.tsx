import { alertStatuses, type AgentPage, type AlertPage, type AlertStatus, type CurrentUser } from '@wardwatch/shared';
import { useCallback, useState } from 'react';
import type { ApiClient } from '../api/api-client';
import { ErrorBanner } from '../common/error-banner';
import { TimeCell } from '../common/time-cell';
import { useNow, usePolling } from '../common/use-polling';
import { hashForAlert } from '../navigation/route';
import { reasonLines, scoreText, statusText, windowText } from './alert-display';
import { AlertDetailPage } from './alert-detail-page';
import { EmptyRow } from '../common/empty-row';
import { ColumnHeads, type Columns } from '../common/column-heads';
import './alerts.css';

export const ALERTS_REFRESH_MS = 5_000;

/** The list, or one alert's detail when the hash names one (`#/alerts/<id>`). */
export function AlertsPage({ api, user, alertId }: { api: ApiClient; user: CurrentUser; alertId?: string }) {
  const [status, setStatus] = useState<AlertStatus | 'all'>('all');
  if (alertId !== undefined) return <AlertDetailPage key={alertId} api={api} user={user} alertId={alertId} />;
  // Keyed by the filter: a new filter is a fresh list, loaded at once.
  return <AlertList key={status} api={api} status={status} onStatus={setStatus} />;
}

// Every string here came from a workstation or from an agent's reasons: React text only.
const ALERT_COLUMNS: Columns = [
  'Raised',
  'Severity',
  { label: 'Score', numeric: true, title: "risk score / the site's alert threshold" },
  'Title',
  'Reasons',
  'Agent',
  'User',
  'Window',
  'Status',
];

function AlertList(props: {
  api: ApiClient;
  status: AlertStatus | 'all';
  onStatus: (status: AlertStatus | 'all') => void;
}) {
  const { api, status, onStatus } = props;
  const loadAlerts = useCallback(() => api.alerts(status === 'all' ? undefined : status), [api, status]);
  const loadAgents = useCallback(() => api.agents(), [api]);
  const alerts = usePolling<AlertPage>(loadAlerts, ALERTS_REFRESH_MS);
  const agents = usePolling<AgentPage>(loadAgents, 30_000);
  const now = useNow();
  const hostnames = new Map((agents.data?.items ?? []).map((agent) => [agent.id, agent.hostname]));
  const items = alerts.data?.items ?? [];

  return (
    <section aria-labelledby="alerts-title">
      <div className="page-head">
        <h1 id="alerts-title">Alerts</h1>
        <div className="head-tools">
          <label>
            Status{' '}
            <select
              value={status}
              onChange={(e) => onStatus(e.target.value as AlertStatus | 'all')}
              data-testid="alert-status-filter"
            >
              <option value="all">all</option>
              {alertStatuses.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </label>
          <p className="muted">{alerts.data ? `${items.length} shown` : alerts.loading ? 'Loading…' : ''}</p>
        </div>
      </div>
      <ErrorBanner message={alerts.error} />
      <div className="table-wrap">
        <table>
          <ColumnHeads columns={ALERT_COLUMNS} />
          <tbody>
            {items.map((alert) => (
              <tr key={alert.id} data-testid="alert-row" data-alert-id={alert.id}>
                <td>
                  <TimeCell ms={alert.createdAt} now={now} />
                </td>
                <td>
                  <span className={`badge sev-${alert.severity}`}>{alert.severity}</span>
                </td>
                <td className="num" data-testid="alert-score">
                  {scoreText(alert)}
                </td>
                <td className="strong">
                  <a href={hashForAlert(alert.id)} data-testid="alert-open">
                    {alert.title}
                  </a>
                </td>
                <td>
                  <ul className="reasons" data-testid="alert-reasons">
                    {reasonLines(alert).map((reason, index) => (
                      <li key={index} data-testid="alert-reason" data-source={reason.source}>
                        {reason.text}
                        {reason.detail ? <span className="muted reason-detail"> ({reason.detail})</span> : null}
                      </li>
                    ))}
                  </ul>
                </td>
                <td>{hostnames.get(alert.agentId) ?? <span className="mono muted">{alert.agentId}</span>}</td>
                <td className="mono" data-testid="alert-user">
                  {alert.user ?? <span className="muted">—</span>}
                </td>
                <td>
                  {windowText(alert) ?? <span className="muted">—</span>}
                  {alert.modelSource ? <div className="muted">model: {alert.modelSource}</div> : null}
                </td>
                <td>
                  <span className={`badge alert-status-${alert.status}`} data-testid="alert-status">
                    {statusText(alert)}
                  </span>
                  {alert.assignee ? <div className="muted">{alert.assignee}</div> : null}
                </td>
              </tr>
            ))}
            <EmptyRow show={Boolean(alerts.data) && items.length === 0} columns={ALERT_COLUMNS}>
              {status === 'all' ? 'No alerts.' : `No ${status} alerts.`}
            </EmptyRow>
          </tbody>
        </table>
      </div>
      {alerts.data?.nextCursor ? <p className="muted">More alerts exist than this page shows.</p> : null}
    </section>
  );
}
