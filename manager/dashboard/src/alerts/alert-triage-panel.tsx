// The triage actions on one alert (acknowledge, close with a verdict and a comment,
// assign) and its comments. Each change names the revision shown, so a change made
// by someone else meanwhile comes back as the manager's 409 message, shown as text.
import {
  alertVerdicts,
  hasPermission,
  MAX_ALERT_COMMENT_LENGTH,
  type AlertCommentView,
  type AlertTransitionRequest,
  type AlertVerdict,
  type AlertView,
  type CurrentUser,
} from '@wardwatch/shared';
import { useState } from 'react';
import { errorMessage, type ApiClient } from '../api/api-client';
import { ErrorBanner } from '../common/error-banner';
import { formatAbsolute } from '../common/format';
import { verdictText } from './alert-display';

/** Runs one call at a time, keeping its error; `then` runs after success. */
function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const run = (work: () => Promise<unknown>, then: () => void) => {
    setBusy(true);
    setError(undefined);
    work()
      .then(then)
      .catch((caught: unknown) => setError(errorMessage(caught)))
      .finally(() => setBusy(false));
  };
  return { busy, error, setError, run };
}

export function AlertTriagePanel(props: {
  api: ApiClient;
  user: CurrentUser;
  alert: AlertView;
  assignees: string[];
  onChanged: () => void;
}) {
  const { api, user, alert, assignees, onChanged } = props;
  const [verdict, setVerdict] = useState<AlertVerdict>('true_positive');
  const [comment, setComment] = useState('');
  const [assignee, setAssignee] = useState(alert.assignee ?? '');
  const action = useAction();
  if (!hasPermission(user.role, 'alerts:triage')) {
    return <p className="muted">Your role may read this alert but not triage it.</p>;
  }
  const revision = alert.revision ?? 1;
  const send = (body: AlertTransitionRequest) =>
    action.run(
      () => api.transitionAlert(alert.id, body),
      () => {
        setComment('');
        onChanged();
      },
    );
  const closed = alert.status === 'closed';

  return (
    <div className="alert-triage" data-testid="alert-triage">
      <ErrorBanner message={action.error} />
      {closed ? (
        <p className="muted">
          Closed{alert.closedAt ? ` ${formatAbsolute(alert.closedAt)}` : ''}; comments may still be added.
        </p>
      ) : (
        <div className="alert-triage-row">
          <button
            type="button"
            className="primary"
            disabled={action.busy || alert.status !== 'open'}
            onClick={() => send({ action: 'acknowledge', revision })}
            data-testid="alert-acknowledge"
          >
            Acknowledge
          </button>
          <label>
            Assign to{' '}
            <select value={assignee} onChange={(e) => setAssignee(e.target.value)} data-testid="alert-assignee-select">
              <option value="">nobody</option>
              {assignees.map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </select>
          </label>
          <button
            type="button"
            disabled={action.busy || assignee === (alert.assignee ?? '')}
            onClick={() => send({ action: 'assign', revision, assignee: assignee === '' ? null : assignee })}
            data-testid="alert-assign"
          >
            Assign
          </button>
        </div>
      )}
      {closed ? null : (
        <div className="alert-triage-close">
          <label>
            Verdict{' '}
            <select
              value={verdict}
              onChange={(e) => setVerdict(e.target.value as AlertVerdict)}
              data-testid="alert-verdict"
            >
              {alertVerdicts.map((v) => (
                <option key={v} value={v}>
                  {verdictText(v)}
                </option>
              ))}
            </select>
          </label>
          <textarea
            value={comment}
            maxLength={MAX_ALERT_COMMENT_LENGTH}
            placeholder="Why (kept as a comment)"
            onChange={(e) => setComment(e.target.value)}
            data-testid="alert-close-comment"
          />
          <button
            type="button"
            disabled={action.busy}
            onClick={() =>
              send({
                action: 'close',
                revision,
                verdict,
                ...(comment.trim() === '' ? {} : { comment }),
              })
            }
            data-testid="alert-close"
          >
            Close as {verdictText(verdict)}
          </button>
        </div>
      )}
    </div>
  );
}

export function AlertComments(props: {
  api: ApiClient;
  user: CurrentUser;
  alertId: string;
  comments: AlertCommentView[];
  onChanged: () => void;
}) {
  const { api, user, alertId, comments, onChanged } = props;
  const [body, setBody] = useState('');
  const action = useAction();
  const add = () => {
    if (body.trim() === '') {
      action.setError('Write a comment first.');
      return;
    }
    action.run(
      () => api.commentAlert(alertId, body),
      () => {
        setBody('');
        onChanged();
      },
    );
  };
  return (
    <>
      <h2>Comments</h2>
      <ul className="alert-comments">
        {comments.map((c) => (
          <li key={c.id} data-testid="alert-comment">
            <span className="muted" data-testid="alert-comment-by">
              {c.author}, {formatAbsolute(c.createdAt)}
            </span>
            <p className="alert-comment-body" data-testid="alert-comment-body">
              {c.body}
            </p>
          </li>
        ))}
        {comments.length === 0 ? <li className="muted">No comments yet.</li> : null}
      </ul>
      {hasPermission(user.role, 'alerts:triage') ? (
        <div className="alert-comment-form">
          <ErrorBanner message={action.error} />
          <textarea
            value={body}
            maxLength={MAX_ALERT_COMMENT_LENGTH}
            onChange={(e) => setBody(e.target.value)}
            data-testid="alert-comment-input"
          />
          <button type="button" disabled={action.busy} onClick={add} data-testid="alert-comment-add">
            Add comment
          </button>
        </div>
      ) : null}
    </>
  );
}
