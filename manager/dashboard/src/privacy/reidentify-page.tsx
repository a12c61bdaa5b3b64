// The privacy officer's page: tie a pseudonym to one of several candidates, or
// find the pseudonym of a known value. A question is asked for a second privacy
// officer to approve, then run once by the asker (below the forms); a single-person
// site may answer at once. Every answer (and refusal) is written to the audit trail
// by the manager; every value here is rendered as text.
import { PseudonymKindName, type DutyRequestList } from '@wardwatch/shared';
import { useCallback, useState, type FormEvent } from 'react';
import { errorMessage, type ApiClient } from '../api/api-client';
import { ErrorBanner } from '../common/error-banner';
import { Notice } from '../common/notice';
import { usePolling } from '../common/use-polling';
import { checkLookupForm, checkMatchForm, type Checked } from './reidentify-form';
import { formTexts } from '../common/form-text';
import { askOf, type ApprovedQuestion } from './approved-question';
import { LookupAnswer, MatchAnswer } from './reidentify-answers';
import { ReidentificationRequests } from './reidentification-requests';
import './privacy.css';

const kindNames: Record<PseudonymKindName, string> = {
  user: 'User name',
  path: 'Path',
  ip: 'IP address',
  host: 'Host name',
  device: 'Device serial',
};

function fieldsOf(event: FormEvent<HTMLFormElement>): Record<string, string> {
  event.preventDefault();
  const form = new FormData(event.currentTarget);
  return formTexts(form);
}

/** Which button sent the form: asking a second officer, or answering at once. */
function asksApproval(event: FormEvent<HTMLFormElement>): boolean {
  const submitter = (event.nativeEvent as SubmitEvent).submitter;
  return submitter?.getAttribute('value') === 'ask';
}

/** Runs a checked request: problems are shown at once, server errors after the call. */
function useSubmission<T, R>(send: (request: T) => Promise<R>) {
  const [problems, setProblems] = useState<string[]>([]);
  const [error, setError] = useState<string | undefined>();
  const [result, setResult] = useState<R | undefined>();
  const [busy, setBusy] = useState(false);
  const submit = (checked: Checked<T>) => {
    setResult(undefined);
    setError(undefined);
    if (!checked.ok) {
      setProblems(checked.problems);
      return;
    }
    setProblems([]);
    setBusy(true);
    send(checked.request)
      .then(setResult)
      .catch((caught: unknown) => setError(errorMessage(caught)))
      .finally(() => setBusy(false));
  };
  return { problems, error, result, busy, submit };
}

function mapChecked<T, U>(checked: Checked<T>, map: (value: T) => U): Checked<U> {
  return checked.ok ? { ok: true, request: map(checked.request) } : checked;
}

function Justification({ prefix }: { prefix: string }) {
  return (
    <>
      <label htmlFor={`${prefix}-reason`}>Reason (read by auditors)</label>
      <textarea id={`${prefix}-reason`} name="reason" maxLength={500} required data-testid={`${prefix}-reason`} />
      <label htmlFor={`${prefix}-case`}>Case reference</label>
      <input id={`${prefix}-case`} name="caseReference" maxLength={64} required data-testid={`${prefix}-case`} />
    </>
  );
}

/** "Ask a second officer" (the default) or do it now: a site with one privacy officer has no second. */
function SendButtons(props: {
  prefix: string;
  asking: boolean;
  sending: boolean;
  busyLabel: string;
  children: string;
}) {
  const { prefix, asking, sending, busyLabel, children } = props;
  return (
    <div className="reid-buttons">
      <button type="submit" name="send" value="ask" className="primary" disabled={asking} data-testid={`${prefix}-ask`}>
        Ask a second officer
      </button>
      <button type="submit" name="send" value="now" disabled={sending} data-testid={`${prefix}-submit`}>
        {sending ? busyLabel : children}
      </button>
    </div>
  );
}

function Problems({ items }: { items: string[] }) {
  if (items.length === 0) return null;
  return (
    <ul className="problems" role="alert">
      {items.map((item) => (
        <li key={item}>{item}</li>
      ))}
    </ul>
  );
}

export function ReidentifyPage({ api, self }: { api: ApiClient; self: string }) {
  const loadRequests = useCallback(() => api.reidentificationRequests(), [api]);
  const requests = usePolling<DutyRequestList>(loadRequests, 10_000);
  // Clear values of the questions asked from this tab, for running them once approved;
  // held in memory only (a reload forgets them, and the officer types them again).
  const [remembered, setRemembered] = useState<ReadonlyMap<string, ApprovedQuestion>>(new Map());
  const [asked, setAsked] = useState<string | undefined>();

  const ask = async (question: ApprovedQuestion) => {
    setAsked(undefined);
    const request = await api.askReidentification(askOf(question));
    setRemembered((before) => new Map(before).set(request.id, question));
    setAsked('Asked. Another privacy officer must approve it; then get the answer below.');
    requests.refresh();
    return request;
  };
  const matching = useSubmission(api.reidentifyMatch);
  const lookup = useSubmission(api.pseudonymLookup);
  const askingMatch = useSubmission((request: ApprovedQuestion) => ask(request));
  const askingLookup = useSubmission((request: ApprovedQuestion) => ask(request));
  // Which way each form was last sent: its problems and errors are the ones shown.
  const [matchVia, setMatchVia] = useState<'ask' | 'now'>('ask');
  const [lookupVia, setLookupVia] = useState<'ask' | 'now'>('ask');
  const matchShown = matchVia === 'ask' ? askingMatch : matching;
  const lookupShown = lookupVia === 'ask' ? askingLookup : lookup;

  const onMatch = (event: FormEvent<HTMLFormElement>) => {
    const approval = asksApproval(event);
    const f = fieldsOf(event);
    const checked = checkMatchForm({
      token: f.token ?? '',
      candidates: f.candidates ?? '',
      reason: f.reason ?? '',
      caseReference: f.caseReference ?? '',
    });
    setMatchVia(approval ? 'ask' : 'now');
    if (approval)
      askingMatch.submit(mapChecked(checked, (request): ApprovedQuestion => ({ question: 'match', request })));
    else matching.submit(checked);
  };
  const onLookup = (event: FormEvent<HTMLFormElement>) => {
    const approval = asksApproval(event);
    const f = fieldsOf(event);
    const checked = checkLookupForm({
      kind: f.kind ?? '',
      value: f.value ?? '',
      reason: f.reason ?? '',
      caseReference: f.caseReference ?? '',
    });
    setLookupVia(approval ? 'ask' : 'now');
    if (approval)
      askingLookup.submit(mapChecked(checked, (request): ApprovedQuestion => ({ question: 'lookup', request })));
    else lookup.submit(checked);
  };

  return (
    <section aria-labelledby="privacy-title">
      <div className="page-head">
        <h1 id="privacy-title">Re-identify</h1>
      </div>
      <p className="notice">
        Pseudonyms are keyed hashes: they cannot be turned back into names, only compared. Each request below needs a
        reason and a case reference, is limited in number, and is written to the audit trail with your name, the reason
        and the pseudonym (never the names you enter). A question needs a second privacy officer&apos;s approval; then
        you get its answer once. Only a site that runs as a single-person site may answer at once.
      </p>
      <Notice message={asked} testId="reid-asked" />

      <form className="reid-form" onSubmit={onMatch} noValidate aria-labelledby="match-title">
        <h2 id="match-title">Which of these is behind a pseudonym?</h2>
        <label htmlFor="reid-token">Pseudonym (u_…, p_…, ip_…, h_…, d_…)</label>
        <input id="reid-token" name="token" maxLength={64} className="mono" required data-testid="reid-token" />
        <label htmlFor="reid-candidates">Candidates, one per line (user names, paths, addresses …)</label>
        <textarea id="reid-candidates" name="candidates" required data-testid="reid-candidates" />
        <Justification prefix="reid" />
        <Problems items={matchShown.problems} />
        <ErrorBanner message={matchShown.error} />
        <SendButtons prefix="reid" asking={askingMatch.busy} sending={matching.busy} busyLabel="Checking…">
          Check candidates now (single-person site)
        </SendButtons>
        {matching.result ? <MatchAnswer result={matching.result} /> : null}
      </form>

      <form className="reid-form" onSubmit={onLookup} noValidate aria-labelledby="lookup-title">
        <h2 id="lookup-title">What is the pseudonym of a known value?</h2>
        <label htmlFor="lookup-kind">Kind</label>
        <select id="lookup-kind" name="kind" defaultValue="user" data-testid="lookup-kind">
          {PseudonymKindName.options.map((kind) => (
            <option key={kind} value={kind}>
              {kindNames[kind]}
            </option>
          ))}
        </select>
        <label htmlFor="lookup-value">Value</label>
        <input id="lookup-value" name="value" maxLength={1024} required data-testid="lookup-value" />
        <Justification prefix="lookup" />
        <Problems items={lookupShown.problems} />
        <ErrorBanner message={lookupShown.error} />
        <SendButtons prefix="lookup" asking={askingLookup.busy} sending={lookup.busy} busyLabel="Computing…">
          Compute pseudonym now (single-person site)
        </SendButtons>
        {lookup.result ? <LookupAnswer result={lookup.result} /> : null}
      </form>

      <ReidentificationRequests
        api={api}
        self={self}
        requests={requests}
        remembered={remembered}
        onChanged={requests.refresh}
      />
    </section>
  );
}
