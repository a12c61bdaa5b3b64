// The privacy officer's page: tie a pseudonym to one of several candidates, or
// find the pseudonym of a known value. Every answer (and refusal) is written to
// the audit trail by the manager; every value here is rendered as text.
import { PseudonymKindName, type PseudonymLookupResult, type ReidentifyMatchResult } from '@wardwatch/shared';
import { useState, type FormEvent } from 'react';
import { errorMessage, type ApiClient } from '../api/api-client';
import { ErrorBanner } from '../common/error-banner';
import { checkLookupForm, checkMatchForm, type Checked } from './reidentify-form';
import { formTexts } from '../common/form-text';
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

export function ReidentifyPage({ api }: { api: ApiClient }) {
  const matching = useSubmission(api.reidentifyMatch);
  const lookup = useSubmission(api.pseudonymLookup);

  const onMatch = (event: FormEvent<HTMLFormElement>) => {
    const f = fieldsOf(event);
    matching.submit(
      checkMatchForm({
        token: f.token ?? '',
        candidates: f.candidates ?? '',
        reason: f.reason ?? '',
        caseReference: f.caseReference ?? '',
      }),
    );
  };
  const onLookup = (event: FormEvent<HTMLFormElement>) => {
    const f = fieldsOf(event);
    lookup.submit(
      checkLookupForm({
        kind: f.kind ?? '',
        value: f.value ?? '',
        reason: f.reason ?? '',
        caseReference: f.caseReference ?? '',
      }),
    );
  };

  return (
    <section aria-labelledby="privacy-title">
      <div className="page-head">
        <h1 id="privacy-title">Re-identify</h1>
      </div>
      <p className="notice">
        Pseudonyms are keyed hashes: they cannot be turned back into names, only compared. Each request below needs a
        reason and a case reference, is limited in number, and is written to the audit trail with your name, the reason
        and the pseudonym (never the names you enter).
      </p>

      <form className="reid-form" onSubmit={onMatch} noValidate aria-labelledby="match-title">
        <h2 id="match-title">Which of these is behind a pseudonym?</h2>
        <label htmlFor="reid-token">Pseudonym (u_…, p_…, ip_…, h_…, d_…)</label>
        <input id="reid-token" name="token" maxLength={64} className="mono" required data-testid="reid-token" />
        <label htmlFor="reid-candidates">Candidates, one per line (user names, paths, addresses …)</label>
        <textarea id="reid-candidates" name="candidates" required data-testid="reid-candidates" />
        <Justification prefix="reid" />
        <Problems items={matching.problems} />
        <ErrorBanner message={matching.error} />
        <button type="submit" className="primary" disabled={matching.busy} data-testid="reid-submit">
          {matching.busy ? 'Checking…' : 'Check candidates'}
        </button>
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
        <Problems items={lookup.problems} />
        <ErrorBanner message={lookup.error} />
        <button type="submit" className="primary" disabled={lookup.busy} data-testid="lookup-submit">
          {lookup.busy ? 'Computing…' : 'Compute pseudonym'}
        </button>
        {lookup.result ? <LookupAnswer result={lookup.result} /> : null}
      </form>
    </section>
  );
}

function MatchAnswer({ result }: { result: ReidentifyMatchResult }) {
  return (
    <p className="reid-result" data-testid="reid-result">
      {result.match === null ? `None of the ${result.candidatesChecked} candidates is behind ` : 'Behind '}
      <span className="mono">{result.token}</span>
      {result.match === null ? '.' : ' is: '}
      {result.match === null ? null : <span className="strong">{result.match}</span>}
      <span className="muted"> (audit record #{result.auditSeq})</span>
    </p>
  );
}

function LookupAnswer({ result }: { result: PseudonymLookupResult }) {
  return (
    <p className="reid-result" data-testid="lookup-result">
      {result.inClear ? 'Agents send this value as it is (it names no person): ' : 'Pseudonym: '}
      <span className="mono strong">{result.token}</span>
      {result.events === null ? null : ` — ${result.events} stored events carry it (filter Events by this user).`}
      {result.kind === 'path'
        ? ' Class and depth of a path are decided on the workstation: tokens of this path end in the same 16 hex digits.'
        : null}
      <span className="muted"> (audit record #{result.auditSeq})</span>
    </p>
  );
}
