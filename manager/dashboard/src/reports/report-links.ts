// Where each report and export is downloaded from: plain same-origin links (the session
// cookie goes with them), so the browser saves the PDF or CSV itself.
import type { ExportFormat, ReportFormat } from '@wardwatch/shared';

const BASE = '/api/v1/reports';
const DAY_MS = 86_400_000;

export const reportPeriods = [7, 30, 90, 365] as const;
export type ReportPeriodDays = (typeof reportPeriods)[number];

export interface Period {
  fromMs: number;
  toMs: number;
}

/** The `days` days ending at `nowMs`. */
export function lastDays(days: ReportPeriodDays, nowMs: number): Period {
  return { fromMs: nowMs - days * DAY_MS, toMs: nowMs };
}

export function hipaaReportUrl(format: ReportFormat, period: Period): string {
  return `${BASE}/hipaa?${query({ format, fromMs: period.fromMs, toMs: period.toMs })}`;
}

export function alertsExportUrl(format: ExportFormat, period: Period): string {
  return `${BASE}/alerts/export?${query({ format, fromMs: period.fromMs, toMs: period.toMs })}`;
}

export function incidentReportUrl(subject: 'alert' | 'incident', id: string, format: ReportFormat): string {
  return `${BASE}/${subject}s/${encodeURIComponent(id)}?${query({ format })}`;
}

export function timelineExportUrl(subject: 'alert' | 'incident', id: string, format: ExportFormat): string {
  return `${BASE}/${subject}s/${encodeURIComponent(id)}/timeline?${query({ format })}`;
}

function query(values: Record<string, string | number>): string {
  return new URLSearchParams(Object.entries(values).map(([k, v]) => [k, String(v)])).toString();
}
