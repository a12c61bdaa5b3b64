// Re-identification under the two-person rule: the questions asked, for another privacy
// officer to approve or deny (they see the token, the reason, the case and how many
// candidates — never the candidates or the value), and for the asker, once approved,
// the question to run once and its answer. Everything here is rendered as text.
import type {
  DutyRequestList,
  DutyRequestView,
  PseudonymLookupResult,
  ReidentificationDetails,
  ReidentifyMatchResult,
} from '@wardwatch/shared';
import { useState, type FormEvent } from 'react';
import { errorMessage, type ApiClient } from '../api/api-client';
import { ErrorBanner } from '../common/error-banner';
import { TimeCell } from '../common/time-cell';
import { useNow, type Polled } from '../common/use-polling';
import { DutyDecision } from '../duties/duty-decision';
import { decisionStance, stateText } from '../duties/duty-display';
import { approvedQuestion, clearTextOf, type ApprovedQuestion } from './approved-question';
import { LookupAnswer, MatchAnswer } from './reidentify-answers';

type Answer =
  { question: 'match'; result: ReidentifyMatchResult } | { question: 'lookup'; result: PseudonymLookupResult };

/** Pending questions (anyone's), and those the signed-in officer asked or decided, newest first. */
function visible(items: DutyRequestView[], self: string): DutyRequestView[] {
  return items
    .filter((item) => item.state === 'pending' || item.requestedBy === self || item.decidedBy === self)
    .slice(0, 50);
}

function questionText(details: ReidentificationDetails): string {
  return details.question === 'match'
    ? `Which of ${details.candidates ?? 0} candidate(s) is behind ${details.token ?? '?'}?`
    : `What is the pseudonym of a ${details.pseudonymKind} value?`;
}

export function ReidentificationRequests({
  api,
  self,
  requests,
  remembered,
  onChanged,
}: {
  api: ApiClient;
  self: string;
  requests: Polled<DutyRequestList>;
  /** The questions this tab asked, by request id: their clear values are not kept by the manager. */
  remembered: ReadonlyMap<string, ApprovedQuestion>;
  onChanged: () => void;
}) {
  const now = useNow();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [answers, setAnswers] = useState<ReadonlyMap<string, Answer>>(new Map());

  const act = (work: () => Promise<unknown>) => {
    setBusy(true);
    setError(undefined);
    work()
      .catch((caught: unknown) => setError(errorMessage(caught)))
      .finally(() => {
        setBusy(false);
        onChanged();
      });
  };

  const run = (id: string, question: ApprovedQuestion) =>
    act(async () => {
      const answer: Answer =
        question.question === 'match'
          ? { question: 'match', result: await api.reidentifyMatch(question.request) }
          : { question: 'lookup', result: await api.pseudonymLookup(question.request) };
      setAnswers((before) => new Map(before).set(id, answer));
    });

  const items = visible(requests.data?.items ?? [], self);
  return (
    <section aria-labelledby="reid-requests-title" data-testid="reid-requests">
      <h2 id="reid-requests-title">Questions and approvals</h2>
      <ErrorBanner message={error ?? requests.error} />
      {items.length === 0 ? (
        <p className="muted" data-testid="reid-requests-empty">
          No question is waiting, and none is yours.
        </p>
      ) : null}
      <ul className="reid-requests">
        {items.map((item) =>
          item.details.kind === 'reidentification' ? (
            <li key={item.id} className="reid-request" data-testid="reid-request" data-state={item.state}>
              <p className="strong">{questionText(item.details)}</p>
              <p>
                <span className="muted">Reason:</span> {item.details.reason} <span className="muted">· Case:</span>{' '}
                {item.details.caseReference}
              </p>
              <p className="muted">
                Asked by {item.requestedBy} <TimeCell ms={item.createdAt} now={now} /> ·{' '}
                <span data-testid="reid-request-state">{stateText(item.state)}</span>
                {item.decidedBy ? ` by ${item.decidedBy}` : null}
                {item.state === 'pending' ? (
                  <>
                    {' '}
                    · expires <TimeCell ms={item.expiresAt} now={now} />
                  </>
                ) : null}
              </p>
              {item.state === 'pending' ? (
                <DutyDecision
                  stance={decisionStance(item, self, 'privacy officer')}
                  busy={busy}
                  onApprove={() => act(() => api.approveReidentification(item.id))}
                  onDeny={(reason) => act(() => api.denyReidentification(item.id, reason || undefined))}
                />
              ) : null}
              {item.state === 'approved' && item.requestedBy === self ? (
                <RunApproved
                  request={item}
                  details={item.details}
                  remembered={remembered.get(item.id)}
                  busy={busy}
                  now={now}
                  onRun={(question) => run(item.id, question)}
                />
              ) : null}
              {item.state === 'approved' && item.requestedBy !== self ? (
                <p className="muted">Only {item.requestedBy}, who asked, may get the answer.</p>
              ) : null}
              <AnswerView answer={answers.get(item.id)} />
            </li>
          ) : null,
        )}
      </ul>
    </section>
  );
}

function AnswerView({ answer }: { answer: Answer | undefined }) {
  if (!answer) return null;
  return answer.question === 'match' ? <MatchAnswer result={answer.result} /> : <LookupAnswer result={answer.result} />;
}

/** The asker's approved question: the clear values again (remembered, or typed after a reload), run once. */
function RunApproved({
  request,
  details,
  remembered,
  busy,
  now,
  onRun,
}: {
  request: DutyRequestView;
  details: ReidentificationDetails;
  remembered: ApprovedQuestion | undefined;
  busy: boolean;
  now: number;
  onRun: (question: ApprovedQuestion) => void;
}) {
  const [problems, setProblems] = useState<string[]>([]);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const text = new FormData(event.currentTarget).get('clear');
    const checked = approvedQuestion(details, typeof text === 'string' ? text : '', request.id);
    if (!checked.ok) {
      setProblems(checked.problems);
      return;
    }
    setProblems([]);
    onRun(checked.request);
  };
  const id = `reid-run-${request.id}`;
  return (
    <form className="reid-run" onSubmit={submit} noValidate aria-label="Get the approved answer">
      <label htmlFor={id}>
        {details.question === 'match'
          ? 'The same candidates, one per line (the manager keeps none of them)'
          : 'The same value (the manager does not keep it)'}
      </label>
      {details.question === 'match' ? (
        <textarea id={id} name="clear" defaultValue={clearTextOf(remembered)} data-testid="reid-run-clear" />
      ) : (
        <input
          id={id}
          name="clear"
          maxLength={1024}
          defaultValue={clearTextOf(remembered)}
          data-testid="reid-run-clear"
        />
      )}
      {problems.length > 0 ? (
        <ul className="problems" role="alert">
          {problems.map((problem) => (
            <li key={problem}>{problem}</li>
          ))}
        </ul>
      ) : null}
      <button type="submit" className="primary" disabled={busy} data-testid="reid-run">
        Get the answer (once)
      </button>{' '}
      {request.usableUntil !== null ? (
        <span className="muted">
          until <TimeCell ms={request.usableUntil} now={now} />
        </span>
      ) : null}
    </form>
  );
}
