// The events page's filter form, turned into the REST query string and applied to
// live events from the stream, so both sources show the same rows.
import { EventCategory, SeverityName, severityNames, type EventView } from '@wardwatch/shared';
import { formText } from '../common/form-text';

/** Form state: empty strings mean "any". */
export interface EventFilter {
  category: EventCategory | '';
  action: string;
  user: string;
  agentId: string;
  minSeverity: SeverityName | '';
}

export const emptyFilter: EventFilter = { category: '', action: '', user: '', agentId: '', minSeverity: '' };

/** Query string (without "?") for GET /api/v1/events; blank fields are left out. */
export function filterToQuery(filter: EventFilter, page: { limit?: number; cursor?: string } = {}): string {
  const params = new URLSearchParams();
  const add = (name: string, value: string | undefined) => {
    const trimmed = value?.trim();
    if (trimmed) params.set(name, trimmed);
  };
  add('category', filter.category);
  add('action', filter.action);
  add('user', filter.user);
  add('agentId', filter.agentId);
  add('minSeverity', filter.minSeverity);
  if (page.limit !== undefined) params.set('limit', String(page.limit));
  add('cursor', page.cursor);
  return params.toString();
}

export function severityRank(severity: SeverityName): number {
  return severityNames.indexOf(severity);
}

/** Whether a live event belongs on the page under the current filter (exact matches, like the API). */
export function matchesFilter(event: EventView, filter: EventFilter): boolean {
  if (filter.category && event.category !== filter.category) return false;
  if (filter.action.trim() && event.action !== filter.action.trim()) return false;
  if (filter.user.trim() && event.user !== filter.user.trim()) return false;
  if (filter.agentId && event.agentId !== filter.agentId) return false;
  if (filter.minSeverity && severityRank(event.severity) < severityRank(filter.minSeverity)) return false;
  return true;
}

/** Reads form values into a filter, dropping anything outside the schema's choices. */
export function parseFilterForm(form: FormData): EventFilter {
  const text = (name: string) => formText(form, name);
  const category = EventCategory.safeParse(text('category'));
  const minSeverity = SeverityName.safeParse(text('minSeverity'));
  return {
    category: category.success ? category.data : '',
    action: text('action'),
    user: text('user'),
    agentId: text('agentId'),
    minSeverity: minSeverity.success ? minSeverity.data : '',
  };
}
