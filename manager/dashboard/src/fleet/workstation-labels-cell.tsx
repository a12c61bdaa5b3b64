// One agent's tags and unit on the fleet page, and for roles that may change them
// (`agents:manage`, as the manager's PATCH route asks) an inline form. The form is
// checked with the shared schema before it is sent; problems show beside their field.
// Tags and unit are rendered as React text only, whatever they hold.
import type { AgentView } from '@wardwatch/shared';
import { useState, type FormEvent } from 'react';
import { errorMessage, type ApiClient } from '../api/api-client';
import { ErrorBanner } from '../common/error-banner';
import { checkLabels, labelsText, problemsOf, type LabelsProblem, type LabelsText } from './workstation-labels-form';

export function WorkstationLabelsCell(props: {
  api: ApiClient;
  agent: AgentView;
  mayEdit: boolean;
  onSaved: () => void;
}) {
  const { api, agent, mayEdit, onSaved } = props;
  const [draft, setDraft] = useState<LabelsText>();
  const [problems, setProblems] = useState<LabelsProblem[]>([]);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const open = () => {
    setDraft(labelsText(agent));
    setProblems([]);
    setError(undefined);
  };
  const save = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!draft) return;
    const checked = checkLabels(draft);
    setError(undefined);
    if (!checked.ok) {
      setProblems(checked.problems);
      return;
    }
    setProblems([]);
    setBusy(true);
    api
      .updateAgent(agent.id, checked.request)
      .then(() => {
        setDraft(undefined);
        onSaved();
      })
      .catch((caught: unknown) => setError(errorMessage(caught)))
      .finally(() => setBusy(false));
  };

  if (!draft) {
    return (
      <div className="labels" data-testid="agent-labels">
        <Labels agent={agent} />
        {mayEdit ? (
          <button type="button" className="labels-edit" onClick={open} data-testid="agent-labels-edit">
            Edit
          </button>
        ) : null}
      </div>
    );
  }

  const tagProblems = problemsOf(problems, 'tags');
  const unitProblems = problemsOf(problems, 'unit');
  const formProblems = problemsOf(problems, 'form');
  return (
    <form className="labels-form" onSubmit={save} noValidate aria-label={`Tags and unit of ${agent.hostname}`}>
      <label>
        Tags <span className="muted">(comma-separated, e.g. shared-clinical, icu)</span>
        <input
          value={draft.tags}
          maxLength={700}
          autoComplete="off"
          aria-invalid={tagProblems !== ''}
          onChange={(event) => setDraft({ ...draft, tags: event.target.value })}
          data-testid="agent-tags-input"
        />
      </label>
      {tagProblems ? (
        <p className="error field-error" data-testid="agent-tags-error">
          {tagProblems}
        </p>
      ) : null}
      <label>
        Unit <span className="muted">(empty clears it)</span>
        <input
          value={draft.unit}
          maxLength={200}
          autoComplete="off"
          aria-invalid={unitProblems !== ''}
          onChange={(event) => setDraft({ ...draft, unit: event.target.value })}
          data-testid="agent-unit-input"
        />
      </label>
      {unitProblems ? (
        <p className="error field-error" data-testid="agent-unit-error">
          {unitProblems}
        </p>
      ) : null}
      {formProblems ? <p className="error field-error">{formProblems}</p> : null}
      <div className="labels-buttons">
        <button type="submit" className="primary" disabled={busy} data-testid="agent-labels-save">
          Save
        </button>
        <button type="button" disabled={busy} onClick={() => setDraft(undefined)} data-testid="agent-labels-cancel">
          Cancel
        </button>
      </div>
      <ErrorBanner message={error} />
    </form>
  );
}

function Labels({ agent }: { agent: AgentView }) {
  const tags = agent.tags ?? [];
  return (
    <>
      <span className="labels-tags">
        {tags.map((tag) => (
          <span key={tag} className="badge tag" data-testid="agent-tag">
            {tag}
          </span>
        ))}
        {tags.length === 0 ? <span className="muted">no tags</span> : null}
      </span>
      <span className={agent.unit ? 'labels-unit' : 'labels-unit muted'} data-testid="agent-unit">
        {agent.unit ?? 'no unit'}
      </span>
    </>
  );
}
