import { eventCategories, severityNames, type AgentView } from '@wardwatch/shared';
import type { FormEvent } from 'react';
import { emptyFilter, parseFilterForm, type EventFilter } from './event-filter';
import { ChoiceField } from '../common/choice-field';

/** The filter form. Keyed by the applied filter so "Clear" resets the inputs. */
export function EventFilters({
  filter,
  agents,
  onApply,
}: {
  filter: EventFilter;
  agents: readonly AgentView[];
  onApply: (filter: EventFilter) => void;
}) {
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    onApply(parseFilterForm(new FormData(event.currentTarget)));
  };

  return (
    <form className="filters" onSubmit={submit} aria-label="Event filters">
      <ChoiceField
        id="filter-category"
        name="category"
        label="Category"
        values={eventCategories}
        defaultValue={filter.category}
        anyLabel="any"
      />
      <div className="field">
        <label htmlFor="filter-action">Action</label>
        <input
          id="filter-action"
          name="action"
          defaultValue={filter.action}
          maxLength={64}
          placeholder="e.g. failed_logon"
        />
      </div>
      <div className="field">
        <label htmlFor="filter-user">User</label>
        <input id="filter-user" name="user" defaultValue={filter.user} maxLength={256} />
      </div>
      <div className="field">
        <label htmlFor="filter-agent">Agent</label>
        <select id="filter-agent" name="agentId" defaultValue={filter.agentId}>
          <option value="">any</option>
          {agents.map((agent) => (
            <option key={agent.id} value={agent.id}>
              {agent.hostname}
            </option>
          ))}
        </select>
      </div>
      <ChoiceField
        id="filter-severity"
        name="minSeverity"
        label="Min severity"
        values={severityNames.filter((name) => name !== 'unspecified')}
        defaultValue={filter.minSeverity}
        anyLabel="any"
      />
      <div className="field actions">
        <button type="submit" className="primary">
          Apply
        </button>
        <button type="button" onClick={() => onApply(emptyFilter)}>
          Clear
        </button>
      </div>
    </form>
  );
}
