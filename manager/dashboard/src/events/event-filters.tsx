import { eventCategories, severityNames, type AgentView, type EventActionFacets } from '@wardwatch/shared';
import type { FormEvent } from 'react';
import { formatCount } from '../common/format';
import { emptyFilter, lastPeriod, parseFilterForm, quickRanges, type EventFilter } from './event-filter';
import { ChoiceField } from '../common/choice-field';

/** The filter form. Keyed by the applied filter so "Clear" resets the inputs. */
export function EventFilters({
  filter,
  agents,
  actions,
  onApply,
}: {
  filter: EventFilter;
  agents: readonly AgentView[];
  /** The actions that exist, offered as suggestions for the action field. */
  actions: EventActionFacets['items'];
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
          list="filter-action-values"
          data-testid="filter-action"
        />
        <datalist id="filter-action-values" data-testid="filter-action-values">
          {actions.map((item) => (
            <option key={`${item.category}/${item.action}`} value={item.action}>
              {`${item.category} · ${formatCount(item.count)}`}
            </option>
          ))}
        </datalist>
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
      <div className="field">
        <label htmlFor="filter-from">From</label>
        <input
          id="filter-from"
          name="from"
          type="datetime-local"
          defaultValue={filter.from}
          data-testid="filter-from"
        />
      </div>
      <div className="field">
        <label htmlFor="filter-to">To</label>
        <input id="filter-to" name="to" type="datetime-local" defaultValue={filter.to} data-testid="filter-to" />
      </div>
      <div className="field actions">
        {quickRanges.map((range) => (
          <button
            key={range.label}
            type="button"
            onClick={() => onApply(lastPeriod(filter, range.ms, Date.now()))}
            data-testid={`filter-range-${range.ms}`}
          >
            {range.label}
          </button>
        ))}
      </div>
      <div className="field actions">
        <button type="submit" className="primary" data-testid="filter-apply">
          Apply
        </button>
        <button type="button" onClick={() => onApply(emptyFilter)}>
          Clear
        </button>
      </div>
    </form>
  );
}
