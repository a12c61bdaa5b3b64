// The answers of a re-identification, as text: the candidate behind a token, or the
// token of a value, each with the number of the audit record the manager wrote for it.
import type { PseudonymLookupResult, ReidentifyMatchResult } from '@wardwatch/shared';

export function MatchAnswer({ result }: { result: ReidentifyMatchResult }) {
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

export function LookupAnswer({ result }: { result: PseudonymLookupResult }) {
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
