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
  /** Time range, as a datetime-local input holds it ("2026-12-02T16:30", local time); '' = open. */
  from: string;
  to: string;
}

export const emptyFilter: EventFilter = {
  category: '',
  action: '',
  user: '',
  agentId: '',
  minSeverity: '',
  from: '',
  to: '',
};

/** Epoch ms of a datetime-local value (local time), or undefined for '' or an invalid one. */
export function localInputToMs(value: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value)) return undefined;
  const ms = new Date(value).getTime();
  return Number.isNaN(ms) ? undefined : ms;
}

/** The datetime-local value of an epoch ms (local time, to the minute). */
export function msToLocalInput(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}T${two(d.getHours())}:${two(d.getMinutes())}`;
}

/** Quick ranges: the last hour, day or week up to now (open end, so live events still show). */
export const quickRanges = [
  { label: 'Last hour', ms: 3_600_000 },
  { label: 'Last 24 h', ms: 86_400_000 },
  { label: 'Last 7 days', ms: 7 * 86_400_000 },
] as const;

export function lastPeriod(filter: EventFilter, periodMs: number, nowMs: number): EventFilter {
  return { ...filter, from: msToLocalInput(nowMs - periodMs), to: '' };
}

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
  add('fromMs', localInputToMs(filter.from)?.toString());
  // The end minute is included whole.
  const to = localInputToMs(filter.to);
  add('toMs', to === undefined ? undefined : String(to + 59_999));
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
  const from = localInputToMs(filter.from);
  const to = localInputToMs(filter.to);
  if (from !== undefined && event.timeMs < from) return false;
  if (to !== undefined && event.timeMs > to + 59_999) return false;
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
    from: localInputToMs(text('from')) === undefined ? '' : text('from'),
    to: localInputToMs(text('to')) === undefined ? '' : text('to'),
  };
}
