// The staged rollout of the newest policy version: its state, each canary and what went
// wrong there, why it halted, by when the canaries must report; admins resume, abort or
// promote it to the whole fleet now (with a reason, kept in the audit trail), each after a
// confirmation.
// Everything the manager (and through it, an agent) said is rendered as text.
import type { PolicyRolloutAnswer, PolicyRolloutView } from '@wardwatch/shared';
import { useCallback, useState } from 'react';
import { errorMessage, type ApiClient } from '../api/api-client';
import { ErrorBanner } from '../common/error-banner';
import { TimeCell } from '../common/time-cell';
import { useNow, usePolling } from '../common/use-polling';
import { ColumnHeads } from '../common/column-heads';
import { canaryCounts, promoteReason, rolloutActions, rolloutStateText, type RolloutAction } from './rollout-display';

const actionTexts: Record<RolloutAction, { button: string; confirm: string }> = {
  resume: { button: 'Resume rollout', confirm: 'Confirm: resume with the same canaries' },
  promote: { button: 'Promote now', confirm: 'Confirm: give every workstation this version now' },
  abort: { button: 'Abort rollout', confirm: 'Confirm: put every workstation back on the previous version' },
};

export function RolloutPanel({ api, mayManage }: { api: ApiClient; mayManage: boolean }) {
  const load = useCallback(() => api.policyRollout(), [api]);
  const answer = usePolling<PolicyRolloutAnswer>(load, 15_000);
  const now = useNow();
  const [confirming, setConfirming] = useState<RolloutAction | undefined>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [reasonText, setReasonText] = useState('');
  const reason = promoteReason(reasonText);

  const send = (action: RolloutAction) => {
    if (action === 'resume') return api.resumeRollout();
    if (action === 'abort') return api.abortRollout();
    return api.promoteRollout({ reason: reason ?? '' });
  };

  const act = (action: RolloutAction) => {
    setConfirming(undefined);
    setBusy(true);
    setError(undefined);
    send(action)
      .then(() => setReasonText(''))
      .catch((caught: unknown) => setError(errorMessage(caught)))
      .finally(() => {
        setBusy(false);
        answer.refresh();
      });
  };

  const rollout = answer.data?.rollout;
  return (
    <section aria-labelledby="rollout-title" className="panel" data-testid="rollout-panel">
      <h2 id="rollout-title">Staged rollout</h2>
      <ErrorBanner message={error ?? answer.error} />
      {answer.data && !rollout ? (
        <p className="muted" data-testid="rollout-none">
          No rollout yet: a saved version goes to the canaries first once workstations exist.
        </p>
      ) : null}
      {rollout ? (
        <>
          <p>
            Version <span className="strong">{rollout.version}</span> (fleet held {rollout.fromVersion}), started{' '}
            <TimeCell ms={rollout.startedAt} now={now} />.
          </p>
          <p className="strong" data-testid="rollout-state" data-state={rollout.state}>
            {rolloutStateText(rollout.state)}
          </p>
          {rollout.haltReason ? (
            <p className="error" data-testid="rollout-halt-reason">
              Why it halted: {rollout.haltReason}
            </p>
          ) : null}
          {rollout.state === 'canary' && rollout.soakEndsAt !== null ? (
            <p className="muted">
              Canaries are well; the fleet gets it <TimeCell ms={rollout.soakEndsAt} now={now} /> if they stay so.
            </p>
          ) : null}
          {rollout.state === 'canary' && rollout.canaryDeadlineAt !== null ? (
            <p className="muted" data-testid="rollout-canary-deadline">
              Canaries must report this version by <TimeCell ms={rollout.canaryDeadlineAt} now={now} />; a canary still
              silent then halts the rollout.
            </p>
          ) : null}
          <p className="muted">
            Last change by {rollout.updatedBy} <TimeCell ms={rollout.updatedAt} now={now} />.
          </p>
          <CanaryTable rollout={rollout} />
          {mayManage && confirming === 'promote' ? (
            <div className="field">
              <label htmlFor="rollout-promote-reason">
                Why the whole fleet gets version {rollout.version} now (kept in the audit trail)
              </label>
              <input
                id="rollout-promote-reason"
                value={reasonText}
                maxLength={500}
                onChange={(event) => setReasonText(event.target.value)}
                data-testid="rollout-promote-reason"
              />
            </div>
          ) : null}
          {mayManage && rolloutActions(rollout).length > 0 ? (
            <div className="field actions">
              {rolloutActions(rollout).map((action) =>
                confirming === action ? (
                  <button
                    key={action}
                    type="button"
                    className="primary"
                    disabled={busy || (action === 'promote' && reason === null)}
                    onClick={() => act(action)}
                    data-testid={`rollout-${action}-confirm`}
                  >
                    {actionTexts[action].confirm}
                  </button>
                ) : (
                  <button
                    key={action}
                    type="button"
                    disabled={busy}
                    onClick={() => setConfirming(action)}
                    data-testid={`rollout-${action}`}
                  >
                    {actionTexts[action].button}
                  </button>
                ),
              )}
              {confirming ? (
                <button type="button" onClick={() => setConfirming(undefined)} data-testid="rollout-cancel">
                  Cancel
                </button>
              ) : null}
            </div>
          ) : null}
        </>
      ) : null}
    </section>
  );
}

function CanaryTable({ rollout }: { rollout: PolicyRolloutView }) {
  const counts = canaryCounts(rollout);
  return (
    <>
      <p data-testid="rollout-canary-counts">
        Canaries: {counts.ok} well, {counts.waiting} waiting, {counts.failed} failed.
      </p>
      {rollout.canaries.length > 0 ? (
        <div className="table-wrap">
          <table>
            <ColumnHeads columns={['Workstation', 'Status', 'Problems']} />
            <tbody>
              {rollout.canaries.map((canary) => (
                <tr key={canary.agentId} data-testid="rollout-canary" data-status={canary.status}>
                  <td className="mono">{canary.agentId}</td>
                  <td>{canary.status}</td>
                  <td className="muted">{canary.problems.length > 0 ? canary.problems.join('; ') : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}
