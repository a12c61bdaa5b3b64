// Pending grants of the admin or privacy officer role: a second admin approves or
// denies; the admin who asked (and the account concerned) sees it waiting. On a
// single-person site no grant waits, and the panel says there is nothing to decide.
import type { DutyRequestList, UserRole } from '@wardwatch/shared';
import { useState } from 'react';
import { errorMessage, type ApiClient } from '../api/api-client';
import { ErrorBanner } from '../common/error-banner';
import { Notice } from '../common/notice';
import { TimeCell } from '../common/time-cell';
import { useNow, type Polled } from '../common/use-polling';
import { ColumnHeads } from '../common/column-heads';
import { DutyDecision } from '../duties/duty-decision';
import { decisionStance } from '../duties/duty-display';

export function RoleGrantsPanel({
  api,
  self,
  roleNames,
  grants,
  onDecided,
}: {
  api: ApiClient;
  self: string;
  roleNames: Record<UserRole, string>;
  /** The pending grants, polled by the page (which refreshes them when it asks for one). */
  grants: Polled<DutyRequestList>;
  /** Called after a decision: the users list changes with it. */
  onDecided: () => void;
}) {
  const now = useNow();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [notice, setNotice] = useState<string | undefined>();

  const decide = (work: () => Promise<unknown>, done: string) => {
    setBusy(true);
    setError(undefined);
    setNotice(undefined);
    work()
      .then(() => {
        setNotice(done);
      })
      .catch((caught: unknown) => setError(errorMessage(caught)))
      .finally(() => {
        setBusy(false);
        onDecided();
      });
  };

  const items = grants.data?.items ?? [];
  return (
    <section aria-labelledby="grants-title" className="panel" data-testid="role-grants">
      <h2 id="grants-title">Role grants waiting for a second admin</h2>
      <p className="muted">
        Making someone an admin or a privacy officer takes two admins: one asks, another approves. A new account for
        such a role stays disabled until then.
      </p>
      <Notice message={notice} testId="grant-notice" />
      <ErrorBanner message={error ?? grants.error} />
      <div className="table-wrap">
        <table>
          <ColumnHeads columns={['Account', 'Role', 'Reason', 'Asked by', 'Expires', 'Decision']} />
          <tbody>
            {items.length === 0 ? (
              <tr>
                <td colSpan={6} className="muted" data-testid="grants-empty">
                  No grant is waiting.
                </td>
              </tr>
            ) : null}
            {items.map((grant) => {
              const details = grant.details;
              if (details.kind !== 'role_grant') return null;
              return (
                <tr key={grant.id} data-testid="grant-row" data-username={details.username}>
                  <td className="strong">{details.username}</td>
                  <td>
                    {details.from === null ? 'new account' : roleNames[details.from]} →{' '}
                    <span className="strong">{roleNames[details.to]}</span>
                  </td>
                  <td className="muted">{details.reason ?? '—'}</td>
                  <td>
                    {grant.requestedBy} <TimeCell ms={grant.createdAt} now={now} />
                  </td>
                  <td>
                    <TimeCell ms={grant.expiresAt} now={now} />
                  </td>
                  <td>
                    <DutyDecision
                      stance={decisionStance(grant, self, 'admin')}
                      busy={busy}
                      onApprove={() =>
                        decide(
                          () => api.approveRoleGrant(grant.id),
                          `${details.username} is now ${roleNames[details.to]}.`,
                        )
                      }
                      onDeny={(reason) =>
                        decide(
                          () => api.denyRoleGrant(grant.id, reason || undefined),
                          `The grant to ${details.username} was denied.`,
                        )
                      }
                    />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
