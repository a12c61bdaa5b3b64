// Protection policies: the version in force, one line per tier, and (for `policies:manage`)
// an editor of the whole document as JSON whose problems are shown inline by path,
// checked with the shared schema the manager uses; the manager's own refusal is shown
// too. Saving makes the next version, delivered to the fleet. Everything is text.
import { hasPermission, type CurrentUser, type PolicyList, type PolicyView } from '@wardwatch/shared';
import { useCallback, useMemo, useState } from 'react';
import { errorMessage, type ApiClient } from '../api/api-client';
import { ErrorBanner } from '../common/error-banner';
import { JsonProblems } from '../common/json-problems';
import { TimeCell } from '../common/time-cell';
import { useNow, usePolling } from '../common/use-polling';
import { ColumnHeads } from '../common/column-heads';
import { checkDocumentText, documentText, tierSummary } from './policy-editor';
import { RolloutPanel } from './rollout-panel';

export function PoliciesPage({ api, user }: { api: ApiClient; user: CurrentUser }) {
  const load = useCallback(() => api.policies(), [api]);
  const policies = usePolling<PolicyList>(load, 30_000);
  const now = useNow();
  const current = policies.data?.items[0];
  const mayEdit = hasPermission(user.role, 'policies:manage');

  return (
    <section aria-labelledby="policies-title">
      <div className="page-head">
        <h1 id="policies-title">Policies</h1>
      </div>
      <p className="muted">
        Protection tiers, lowest first, and what each sets on a workstation. A workstation gets its pinned tier (Fleet
        page), else the first. Each save is a new version, sent to every connected agent.
      </p>
      <ErrorBanner message={policies.error} />
      {current ? (
        <>
          <p data-testid="policy-current">
            Version <span className="strong">{current.version}</span>, saved{' '}
            <TimeCell ms={current.createdAt} now={now} /> <span className="muted">by {current.createdBy}</span>
            {current.comment ? <span className="muted"> — {current.comment}</span> : null}
          </p>
          <div className="table-wrap">
            <table>
              <ColumnHeads columns={['Tier', 'Name', 'Settings']} />
              <tbody>
                {current.document.tiers.map((tier) => (
                  <tr key={tier.id} data-testid="policy-tier-row" data-tier-id={tier.id}>
                    <td className="mono">{tier.id}</td>
                    <td className="strong" data-testid="policy-tier-name">
                      {tier.name}
                    </td>
                    <td className="muted">{tierSummary(tier)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <RolloutPanel key={`rollout-${current.version}`} api={api} mayManage={mayEdit} />
          {mayEdit ? (
            <PolicyEditor key={`editor-${current.version}`} api={api} policy={current} onSaved={policies.refresh} />
          ) : null}
        </>
      ) : null}
    </section>
  );
}

function PolicyEditor({ api, policy, onSaved }: { api: ApiClient; policy: PolicyView; onSaved: () => void }) {
  const [text, setText] = useState(() => documentText(policy.document));
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const checked = useMemo(() => checkDocumentText(text), [text]);

  const save = () => {
    if (!checked.ok) return;
    setBusy(true);
    setError(undefined);
    api
      .createPolicy({ baseVersion: policy.version, comment, document: checked.value })
      .then(() => onSaved())
      .catch((caught: unknown) => setError(errorMessage(caught)))
      .finally(() => setBusy(false));
  };

  return (
    <section aria-labelledby="policy-editor-title" className="panel" data-testid="policy-editor">
      <h2 id="policy-editor-title">Edit version {policy.version}</h2>
      <label htmlFor="policy-json">Policy (JSON)</label>
      <textarea
        id="policy-json"
        className="mono"
        rows={24}
        cols={100}
        spellCheck={false}
        value={text}
        onChange={(event) => setText(event.target.value)}
        data-testid="policy-json"
      />
      {checked.ok ? (
        <p className="muted" data-testid="policy-valid">
          Valid: {checked.value.tiers.map((t) => t.name).join(', ')}.
        </p>
      ) : (
        <JsonProblems problems={checked.problems} testId="policy" />
      )}
      <div className="field">
        <label htmlFor="policy-comment">Comment</label>
        <input
          id="policy-comment"
          maxLength={500}
          value={comment}
          onChange={(event) => setComment(event.target.value)}
          data-testid="policy-comment"
        />
      </div>
      <div className="field actions">
        <button
          type="button"
          className="primary"
          disabled={busy || !checked.ok}
          onClick={save}
          data-testid="policy-save"
        >
          Save as version {policy.version + 1}
        </button>
      </div>
      <ErrorBanner message={error} />
    </section>
  );
}
