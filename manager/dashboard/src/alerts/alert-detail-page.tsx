// One alert, for an analyst to understand it and act on it: what it says and why
// (reasons, ATT&CK techniques of the rules that fired), the score history of its
// user as a chart, the events behind it, related alerts, comments, and the triage
// actions. Every string came from a workstation, an agent or an analyst: React text only.
import type { AlertDetail, CurrentUser } from '@wardwatch/shared';
import { useCallback } from 'react';
import type { ApiClient } from '../api/api-client';
import { ErrorBanner } from '../common/error-banner';
import { formatAbsolute } from '../common/format';
import { ScoreChart } from '../common/score-chart';
import { useNow, usePolling } from '../common/use-polling';
import { hashFor } from '../navigation/route';
import { reasonLines, scoreText, statusText, triageTrail, windowText } from './alert-display';
import { EvidenceEvents, RelatedAlerts } from './alert-evidence';
import { AlertComments, AlertTriagePanel } from './alert-triage-panel';

export const ALERT_DETAIL_REFRESH_MS = 10_000;

export function AlertDetailPage({ api, user, alertId }: { api: ApiClient; user: CurrentUser; alertId: string }) {
  const load = useCallback(() => api.alert(alertId), [api, alertId]);
  const detail = usePolling<AlertDetail>(load, ALERT_DETAIL_REFRESH_MS);
  const now = useNow();
  const data = detail.data;
  const alert = data?.alert;

  return (
    <section aria-labelledby="alert-title" className="alert-detail" data-testid="alert-detail">
      <p>
        <a href={hashFor('alerts')} data-testid="alert-back">
          ← All alerts
        </a>
      </p>
      <ErrorBanner message={detail.error} />
      {!data || !alert ? (
        <p className="muted">{detail.loading ? 'Loading…' : ''}</p>
      ) : (
        <>
          <div className="page-head">
            <h1 id="alert-title" className="alert-detail-title">
              {alert.title}
            </h1>
            <div className="head-tools">
              <span className={`badge sev-${alert.severity}`}>{alert.severity}</span>
              <span className={`badge alert-status-${alert.status}`} data-testid="alert-detail-status">
                {statusText(alert)}
              </span>
            </div>
          </div>
          <dl className="alert-facts">
            <dt>Raised</dt>
            <dd>{formatAbsolute(alert.createdAt)}</dd>
            <dt>Score</dt>
            <dd>{scoreText(alert)}</dd>
            <dt>User</dt>
            <dd className="mono">{alert.user ?? '—'}</dd>
            <dt>Workstation</dt>
            <dd className="mono">{alert.agentId}</dd>
            <dt>Window</dt>
            <dd>{windowText(alert) ?? '—'}</dd>
            <dt>Assignee</dt>
            <dd data-testid="alert-assignee">{alert.assignee ?? 'nobody'}</dd>
            {triageTrail(alert) ? (
              <>
                <dt>Triage</dt>
                <dd data-testid="alert-trail">{triageTrail(alert)}</dd>
              </>
            ) : null}
          </dl>

          <AlertTriagePanel
            key={alert.revision ?? 1}
            api={api}
            user={user}
            alert={alert}
            assignees={data.assignees}
            onChanged={detail.refresh}
          />

          <div className="alert-detail-grid">
            <div>
              <h2>Reasons</h2>
              <ul className="reasons" data-testid="alert-detail-reasons">
                {reasonLines(alert).map((reason, index) => (
                  <li key={index} data-testid="alert-detail-reason">
                    {reason.text}
                    {reason.detail ? <span className="muted reason-detail"> ({reason.detail})</span> : null}
                  </li>
                ))}
              </ul>
            </div>
            <div>
              <h2>ATT&amp;CK techniques</h2>
              {data.techniques.length === 0 ? (
                <p className="muted">No rule with a known technique fired.</p>
              ) : (
                <ul className="techniques">
                  {data.techniques.map((t) => (
                    <li key={t.id} data-testid="alert-technique">
                      <span className="mono">{t.id}</span> {t.name}{' '}
                      <span className="muted">
                        ({t.tactic}, rule {t.ruleId})
                      </span>
                    </li>
                  ))}
                </ul>
              )}
            </div>
          </div>

          <h2>Score history</h2>
          <ScoreChart
            points={data.scoreHistory.map((p) => ({ at: p.windowStart, score: p.score, marked: p.thisAlert }))}
            threshold={alert.threshold ?? data.scoreHistory.at(-1)?.threshold}
            label={`Risk scores of ${alert.user ?? 'this user'} around the alert`}
          />

          <EvidenceEvents evidence={data.evidence} now={now} />
          <RelatedAlerts related={data.related} now={now} />
          <AlertComments api={api} user={user} alertId={alert.id} comments={data.comments} onChanged={detail.refresh} />
        </>
      )}
    </section>
  );
}
