// The approvals queue: what playbooks propose to do, why (the alert's reasons), where
// (the workstations), until when, and how many approvals it still needs; Approve or
// Reject with a comment for roles holding `response:approve`. Decided ones below.
// Both lists are paged with the manager's cursor (Previous / Next); each page polls.
// Summaries, reasons and host names are rendered as React text only.
import {
  hasPermission,
  type AgentPage,
  type ApprovalDetail,
  type ApprovalPage,
  type ApprovalView,
  type CurrentUser,
} from '@wardwatch/shared';
import { useCallback, useEffect, useState } from 'react';
import { errorMessage, type ApiClient } from '../api/api-client';
import { useCursorPages, type CursorPages } from '../common/cursor-pages';
import { EmptyRow } from '../common/empty-row';
import { ErrorBanner } from '../common/error-banner';
import { Pager } from '../common/pager';
import { TimeCell } from '../common/time-cell';
import { useNow, usePolling } from '../common/use-polling';
import { ColumnHeads, type Columns } from '../common/column-heads';
import {
  actionText,
  approveRefusal,
  DECIDED_PAGE_SIZE,
  expiryText,
  outcomeText,
  PENDING_PAGE_SIZE,
  pendingCountText,
  progressText,
} from './approval-display';
import './approvals.css';

export const APPROVALS_REFRESH_MS = 3_000;

export function ApprovalsPage({ api, user }: { api: ApiClient; user: CurrentUser }) {
  const pendingPages = useCursorPages();
  const decidedPages = useCursorPages();
  // Counts decisions taken here: both lists reload at once after one.
  const [decisions, setDecisions] = useState(0);
  const loadAgents = useCallback(() => api.agents(), [api]);
  const agents = usePolling<AgentPage>(loadAgents, 30_000);
  const now = useNow();
  const hostnames = new Map((agents.data?.items ?? []).map((agent) => [agent.id, agent.hostname]));
  const onDecided = useCallback(() => setDecisions((n) => n + 1), []);

  // A list is keyed by its cursor: a new page is a fresh poll, and an answer for the
  // page just left can never show on the new one.
  return (
    <section aria-labelledby="approvals-title">
      <div className="page-head">
        <h1 id="approvals-title">Approvals</h1>
      </div>
      <PendingList
        key={`pending:${pendingPages.cursor ?? ''}`}
        api={api}
        user={user}
        pages={pendingPages}
        hostnames={hostnames}
        now={now}
        decisions={decisions}
        onDecided={onDecided}
      />
      <h2 className="approvals-decided-title">Decided</h2>
      <DecidedList
        key={`decided:${decidedPages.cursor ?? ''}`}
        api={api}
        pages={decidedPages}
        hostnames={hostnames}
        now={now}
        decisions={decisions}
      />
    </section>
  );
}

interface ListProps {
  api: ApiClient;
  pages: CursorPages;
  hostnames: Map<string, string>;
  now: number;
  /** Reloads at once when it changes. */
  decisions: number;
}

/** One page of pending proposals, each with its alert. */
function PendingList(props: ListProps & { user: CurrentUser; onDecided: () => void }) {
  const { api, user, pages, hostnames, now, decisions, onDecided } = props;
  const { cursor } = pages;
  const load = useCallback(async (): Promise<{ items: ApprovalDetail[]; nextCursor?: string }> => {
    const page = await api.approvals({ state: 'pending', limit: PENDING_PAGE_SIZE, cursor });
    return { items: await Promise.all(page.items.map((a) => api.approval(a.id))), nextCursor: page.nextCursor };
  }, [api, cursor]);
  const pending = usePolling(load, APPROVALS_REFRESH_MS);
  const { refresh } = pending;
  useEffect(() => {
    if (decisions > 0) refresh();
  }, [decisions, refresh]);
  const items = pending.data?.items ?? [];
  const nextCursor = pending.data?.nextCursor;

  return (
    <>
      <p className="muted" data-testid="pending-count">
        {pending.data ? pendingCountText(items.length, pages.page, nextCursor !== undefined) : 'Loading…'}
      </p>
      <ErrorBanner message={pending.error} />
      <div className="approval-list">
        {items.map((approval) => (
          <PendingApproval
            key={approval.id}
            api={api}
            user={user}
            approval={approval}
            hostnames={hostnames}
            now={now}
            onDecided={onDecided}
          />
        ))}
        {pending.data && items.length === 0 ? (
          <p className="empty">{pages.page === 1 ? 'Nothing waits for approval.' : 'Nothing left on this page.'}</p>
        ) : null}
      </div>
      <Pager pages={pages} nextCursor={nextCursor} label="Pending approvals pages" testId="pending-pager" />
    </>
  );
}

/** One page of approved, rejected and expired proposals. */
const DECIDED_COLUMNS: Columns = ['Proposed', 'Summary', 'Workstations', 'State', 'Outcome'];

function DecidedList(props: ListProps) {
  const { api, pages, hostnames, now, decisions } = props;
  const { cursor } = pages;
  const load = useCallback(() => api.approvals({ state: 'decided', limit: DECIDED_PAGE_SIZE, cursor }), [api, cursor]);
  const decided = usePolling<ApprovalPage>(load, APPROVALS_REFRESH_MS);
  const { refresh } = decided;
  useEffect(() => {
    if (decisions > 0) refresh();
  }, [decisions, refresh]);
  const items = decided.data?.items ?? [];

  return (
    <>
      <ErrorBanner message={decided.error} />
      <div className="table-wrap">
        <table>
          <ColumnHeads columns={DECIDED_COLUMNS} />
          <tbody>
            {items.map((approval) => (
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
            <EmptyRow show={Boolean(decided.data) && items.length === 0} columns={DECIDED_COLUMNS}>
              {pages.page === 1 ? 'None decided yet.' : 'Nothing left on this page.'}
            </EmptyRow>
          </tbody>
        </table>
      </div>
      <Pager
        pages={pages}
        nextCursor={decided.data?.nextCursor}
        label="Decided approvals pages"
        testId="decided-pager"
      />
    </>
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
