// The audit viewer's filters as the form holds them (text, and local date-times from
// <input type="datetime-local">) and as the manager's query string reads them. The
// list and the export share one query, so the file holds exactly the rows shown.
export interface AuditFilterForm {
  actor: string;
  action: string;
  /** "YYYY-MM-DDTHH:mm" in local time, or "". */
  from: string;
  to: string;
}

export const EMPTY_AUDIT_FILTER: AuditFilterForm = { actor: '', action: '', from: '', to: '' };

/** Local "YYYY-MM-DDTHH:mm" to epoch ms; undefined when empty or not a date. */
export function localToMs(value: string): number | undefined {
  if (value.trim() === '') return undefined;
  const ms = new Date(value).getTime();
  return Number.isNaN(ms) ? undefined : ms;
}

/** The query string of the list (with its page) or of the export (with its format). */
export function auditQuery(
  filter: AuditFilterForm,
  extra: { limit?: number; beforeSeq?: string; format?: 'csv' | 'ndjson' } = {},
): string {
  const params = new URLSearchParams();
  if (filter.actor.trim() !== '') params.set('actor', filter.actor.trim());
  if (filter.action.trim() !== '') params.set('action', filter.action.trim());
  const fromMs = localToMs(filter.from);
  // "to" names a minute: the rows of that whole minute are in.
  const toMs = localToMs(filter.to);
  if (fromMs !== undefined) params.set('fromMs', String(fromMs));
  if (toMs !== undefined) params.set('toMs', String(toMs + 59_999));
  if (extra.limit !== undefined) params.set('limit', String(extra.limit));
  if (extra.beforeSeq !== undefined) params.set('beforeSeq', extra.beforeSeq);
  if (extra.format !== undefined) params.set('format', extra.format);
  return params.toString();
}

/** Where the export of the filtered view downloads from. */
export function auditExportHref(filter: AuditFilterForm, format: 'csv' | 'ndjson'): string {
  return `/api/v1/audit/export?${auditQuery(filter, { format })}`;
}
