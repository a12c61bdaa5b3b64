// Admins read and edit playbooks: the list, one playbook's versions (earlier ones
// read-only), and an editor of the definition as JSON whose problems are shown inline,
// path and message, checked with the same schema the manager uses. Saving makes the
// next version. Below, the staff roles playbooks match on. Everything is rendered as text.
import type { PlaybookList, PlaybookView } from '@wardwatch/shared';
import { useCallback, useMemo, useState } from 'react';
import { errorMessage, type ApiClient } from '../api/api-client';
import { ErrorBanner } from '../common/error-banner';
import { JsonProblems } from '../common/json-problems';
import { TimeCell } from '../common/time-cell';
import { useNow, usePolling } from '../common/use-polling';
import { StaffRolesPanel } from '../staff-roles/staff-roles-panel';
import { checkDefinitionText, definitionText, ruleSummaries } from './playbook-editor';
import { formatAbsolute } from '../common/format';
import { ColumnHeads } from '../common/column-heads';

export function PlaybooksPage({ api }: { api: ApiClient }) {
  const load = useCallback(() => api.playbooks(), [api]);
  const playbooks = usePolling<PlaybookList>(load, 30_000);
  const now = useNow();
  const [selected, setSelected] = useState<string | undefined>();
  const current = playbooks.data?.items.find((p) => p.id === selected);

  return (
    <section aria-labelledby="playbooks-title">
      <div className="page-head">
        <h1 id="playbooks-title">Playbooks</h1>
      </div>
      <p className="muted">
        What the manager does about an alert: automatic actions are issued at once (within the caps), others wait for
        approval or only notify. Each save is a new version; earlier versions are kept.
      </p>
      <ErrorBanner message={playbooks.error} />
      <div className="table-wrap">
        <table>
          <ColumnHeads columns={['Name', 'Version', 'Enabled', 'Rules', 'Saved', { label: 'Actions', hidden: true }]} />
          <tbody>
            {(playbooks.data?.items ?? []).map((p) => (
              <tr key={p.id} data-testid="playbook-row" data-playbook-id={p.id}>
                <td className="strong">{p.name}</td>
                <td data-testid="playbook-version">{p.version}</td>
                <td>{p.enabled ? 'yes' : 'no'}</td>
                <td className="muted">{ruleSummaries(p).join(' · ')}</td>
                <td>
                  <TimeCell ms={p.createdAt} now={now} /> <span className="muted">by {p.createdBy}</span>
                </td>
                <td>
                  <button type="button" onClick={() => setSelected(p.id)} data-testid="playbook-open">
                    Open
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {current ? <PlaybookDetail key={current.id} api={api} playbook={current} onSaved={playbooks.refresh} /> : null}
      <StaffRolesPanel api={api} />
    </section>
  );
}

function PlaybookDetail({ api, playbook, onSaved }: { api: ApiClient; playbook: PlaybookView; onSaved: () => void }) {
  const [text, setText] = useState(() => definitionText(playbook));
  const [error, setError] = useState<string | undefined>();
  const [saved, setSaved] = useState<number | undefined>();
  const [busy, setBusy] = useState(false);
  const [versions, setVersions] = useState<PlaybookView[] | undefined>();
  // The version the text was read from: a refresh that brings a newer one (another
  // admin's save) must not move it, or our save would silently overwrite theirs.
  const [base, setBase] = useState(playbook.version);
  const checked = useMemo(() => checkDefinitionText(text), [text]);

  const save = () => {
    if (!checked.ok) return;
    setBusy(true);
    setError(undefined);
    api
      .updatePlaybook(playbook.id, { ...checked.definition, baseVersion: base })
      .then((view) => {
        setBase(view.version);
        setSaved(view.version);
        onSaved();
      })
      .catch((caught: unknown) => setError(errorMessage(caught)))
      .finally(() => setBusy(false));
  };

  const showVersions = () => {
    setError(undefined);
    api
      .playbookVersions(playbook.id)
      .then((list) => setVersions(list.items))
      .catch((caught: unknown) => setError(errorMessage(caught)));
  };

  return (
    <section aria-labelledby="playbook-detail-title" className="panel" data-testid="playbook-detail">
      <h2 id="playbook-detail-title">
        {playbook.name} <span className="muted">version {base}</span>
      </h2>
      {playbook.version > base ? (
        <p className="error" role="alert" data-testid="playbook-stale">
          Version {playbook.version} was saved by {playbook.createdBy} since you opened this one: saving now is refused.
          Copy your changes, then{' '}
          <button
            type="button"
            onClick={() => {
              setText(definitionText(playbook));
              setBase(playbook.version);
              setSaved(undefined);
            }}
            data-testid="playbook-reload"
          >
            load version {playbook.version}
          </button>
        </p>
      ) : null}
      <label htmlFor="playbook-json">Definition (JSON)</label>
      <textarea
        id="playbook-json"
        className="mono"
        rows={18}
        cols={100}
        spellCheck={false}
        value={text}
        onChange={(event) => {
          setText(event.target.value);
          setSaved(undefined);
        }}
        data-testid="playbook-json"
      />
      {checked.ok ? (
        <p className="muted" data-testid="playbook-valid">
          Valid. {ruleSummaries(checked.definition).join(' · ')}
        </p>
      ) : (
        <JsonProblems problems={checked.problems} testId="playbook" />
      )}
      <div className="field actions">
        <button
          type="button"
          className="primary"
          disabled={busy || !checked.ok}
          onClick={save}
          data-testid="playbook-save"
        >
          Save as version {base + 1}
        </button>{' '}
        <button type="button" onClick={showVersions} data-testid="playbook-versions">
          Show versions
        </button>
      </div>
      {saved !== undefined ? (
        <p className="notice" data-testid="playbook-saved">
          Saved version {saved}.
        </p>
      ) : null}
      <ErrorBanner message={error} />
      {versions ? (
        <ol className="versions" data-testid="playbook-version-list">
          {versions.map((v) => (
            <li key={v.version} data-testid="playbook-version-item">
              <span className="strong">version {v.version}</span>{' '}
              <span className="muted">
                by {v.createdBy}, {formatAbsolute(v.createdAt)} — {v.enabled ? 'enabled' : 'disabled'}
              </span>
              <pre className="mono">{definitionText(v)}</pre>
            </li>
          ))}
        </ol>
      ) : null}
    </section>
  );
}
