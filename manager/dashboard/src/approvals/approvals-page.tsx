// The approvals queue: what playbooks propose to do, why (the alert's reasons), where
// (the workstations), until when, and how many approvals it still needs; Approve or
// Reject with a comment for roles holding `response:approve`. Decided ones below.
// Summaries, reasons and host names are rendered as React text only.
import {
  hasPermission,
  type AgentPage,
  type ApprovalDetail,
  type ApprovalPage,
  type ApprovalView,
  type CurrentUser,
} from '@wardwatch/shared';
import { useCallback, useState } from 'react';
import { errorMessage, type ApiClient } from '../api/api-client';
import { EmptyRow } from '../common/empty-row';
import { ErrorBanner } from '../common/error-banner';
import { TimeCell } from '../common/time-cell';
import { useNow, usePolling } from '../common/use-polling';
import { actionText, approveRefusal, expiryText, outcomeText, progressText } from './approval-display';
import './approvals.css';

export const APPROVALS_REFRESH_MS = 3_000;

export function ApprovalsPage({ api, user }: { api: ApiClient; user: CurrentUser }) {
  // Pending ones with their alerts (a short list: each detail is one more call).
  const loadPending = useCallback(
    () => api.approvals('pending').then((page) => Promise.all(page.items.map((a) => api.approval(a.id)))),
    [api],
  );
  const loadAll = useCallback(() => api.approvals(), [api]);
  const loadAgents = useCallback(() => api.agents(), [api]);
  const pending = usePolling<ApprovalDetail[]>(loadPending, APPROVALS_REFRESH_MS);
  const all = usePolling<ApprovalPage>(loadAll, APPROVALS_REFRESH_MS);
  const agents = usePolling<AgentPage>(loadAgents, 30_000);
  const now = useNow();
  const hostnames = new Map((agents.data?.items ?? []).map((agent) => [agent.id, agent.hostname]));
  const decided = (all.data?.items ?? []).filter((a) => a.state !== 'pending');
  const refresh = () => {
    pending.refresh();
    all.refresh();
  };

  return (
    <section aria-labelledby="approvals-title">
      <div className="page-head">
        <h1 id="approvals-title">Approvals</h1>
        <p className="muted">{pending.data ? `${pending.data.length} pending` : pending.loading ? 'Loading…' : ''}</p>
      </div>
      <ErrorBanner message={pending.error ?? all.error} />
      <div className="approval-list">
        {(pending.data ?? []).map((approval) => (
          <PendingApproval
            key={approval.id}
            api={api}
            user={user}
            approval={approval}
            hostnames={hostnames}
            now={now}
            onDecided={refresh}
          />
        ))}
        {pending.data && pending.data.length === 0 ? <p className="empty">Nothing waits for approval.</p> : null}
      </div>

      <h2 className="approvals-decided-title">Decided</h2>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Proposed</th>
              <th scope="col">Summary</th>
              <th scope="col">Workstations</th>
              <th scope="col">State</th>
              <th scope="col">Outcome</th>
            </tr>
          </thead>
          <tbody>
            {decided.map((approval) => (
              <tr key={approval.id} data-testid="decided-row" data-approval-id={approval.id}>
                <td>
                  <TimeCell ms={approval.createdAt} now={now} />
                </td>
                <td>{approval.summary}</td>
                <td>
                  <Targets approval={approval} hostnames={hostnames} />
                </td>
                <td>
                  <span className={`badge approval-${approval.state}`} data-testid="approval-state">
                    {approval.state}
                  </span>
                </td>
                <td data-testid="approval-outcome">{outcomeText(approval)}</td>
              </tr>
            ))}
            <EmptyRow show={Boolean(all.data) && decided.length === 0} columns={5}>
              None decided yet.
            </EmptyRow>
          </tbody>
        </table>
      </div>
    </section>
  );
}

function PendingApproval(props: {
  api: ApiClient;
  user: CurrentUser;
  approval: ApprovalDetail;
  hostnames: Map<string, string>;
  now: number;
  onDecided: () => void;
}) {
  const { api, user, approval, hostnames, now, onDecided } = props;
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const refusal = approveRefusal(approval, user);
  const mayDecide = hasPermission(user.role, 'response:approve');

  const decide = (work: () => Promise<ApprovalView>) => {
    setBusy(true);
    setError(undefined);
    work()
      .then(() => {
        setComment('');
        onDecided();
      })
      .catch((caught: unknown) => setError(errorMessage(caught)))
      .finally(() => setBusy(false));
  };
  const reject = () => {
    if (comment.trim() === '') {
      setError('Say why you reject it: a rejection needs a comment.');
      return;
    }
    decide(() => api.rejectApproval(approval.id, comment));
  };

  return (
    <article className="approval-card" data-testid="approval-row" data-approval-id={approval.id}>
      <header className="approval-head">
        <h2 className="approval-summary">{approval.summary}</h2>
        {approval.twoPersonReason !== null ? (
          <span className="badge approval-two-person" data-testid="approval-two-person">
            two-person: {approval.twoPersonReason}
          </span>
        ) : null}
        <span className="badge approval-progress" data-testid="approval-progress">
          {progressText(approval)}
        </span>
        <span className="muted" data-testid="approval-expiry">
          {expiryText(approval.expiresAt, now)}
        </span>
      </header>
      <div className="approval-body">
        <div>
          <h3>Workstations</h3>
          <Targets approval={approval} hostnames={hostnames} />
        </div>
        <div>
          <h3>Why</h3>
          {approval.alert ? (
            <>
              <p>
                <span className={`badge sev-${approval.alert.severity}`}>{approval.alert.severity}</span>{' '}
                <span className="strong">{approval.alert.title}</span>{' '}
                <span className="muted">score {approval.alert.score}</span>
              </p>
              <ul className="reasons" data-testid="approval-reasons">
                {approval.alert.reasons.map((reason, index) => (
                  <li key={index} data-testid="approval-reason">
                    {reason}
                  </li>
                ))}
              </ul>
              <p className="muted">
                alert {approval.alert.id}; {approval.alert.eventIds.length} event
                {approval.alert.eventIds.length === 1 ? '' : 's'} behind it
              </p>
            </>
          ) : (
            <p className="muted">{approval.alertId ? `alert ${approval.alertId} (no longer stored)` : 'no alert'}</p>
          )}
          <p className="muted">
            playbook {approval.playbookId} v{approval.playbookVersion}
            {approval.requestedBy ? `; requested by ${approval.requestedBy}` : ''}
          </p>
          {approval.approvals.length > 0 ? (
            <ul className="approval-approvers" data-testid="approval-approvers">
              {approval.approvals.map((a) => (
                <li key={a.by}>
                  approved by {a.by}
                  {a.comment ? `: ${a.comment}` : ''}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      </div>
      {mayDecide ? (
        <div className="approval-decide">
          <label>
            Comment
            <textarea
              value={comment}
              maxLength={1000}
              onChange={(event) => setComment(event.target.value)}
              data-testid="approval-comment"
            />
          </label>
          <div className="approval-buttons">
            <button
              type="button"
              disabled={busy || refusal !== undefined}
              title={refusal}
              onClick={() => decide(() => api.approveApproval(approval.id, comment))}
              data-testid="approval-approve"
            >
              Approve
            </button>
            <button type="button" disabled={busy} onClick={reject} data-testid="approval-reject">
              Reject
            </button>
            {refusal ? <span className="muted">{refusal}</span> : null}
          </div>
          <ErrorBanner message={error} />
        </div>
      ) : (
        <p className="muted">{refusal}</p>
      )}
    </article>
  );
}

function Targets({ approval, hostnames }: { approval: ApprovalView; hostnames: Map<string, string> }) {
  return (
    <ul className="approval-targets">
      {approval.targets.map((target, index) => (
        <li key={index} data-testid="approval-target">
          {hostnames.get(target.agentId) ?? <span className="mono">{target.agentId}</span>}
          {': '}
          {actionText(target.action, target.dryRun)}
        </li>
      ))}
    </ul>
  );
}
