// Alerts and one incident timeline as files: JSON (the API's shapes, one document) or
// CSV. A CSV cell a spreadsheet would run as a formula (= + - @, tab, CR first) is
// prefixed with a quote mark, as the audit export does: reasons, users and messages can
// come from agents.
import type { AlertView, IncidentReport } from '@wardwatch/shared';
import { csvCell } from '../audit/audit-export';

const ALERT_COLUMNS = [
  'id',
  'createdAt',
  'severity',
  'score',
  'status',
  'verdict',
  'assignee',
  'kind',
  'agentId',
  'user',
  'title',
  'reasons',
  'ruleIds',
] as const;

export function alertsCsv(alerts: readonly AlertView[]): string {
  return csv(
    ALERT_COLUMNS,
    alerts.map((a) => [
      a.id,
      new Date(a.createdAt).toISOString(),
      a.severity,
      String(a.score),
      a.status,
      a.verdict ?? '',
      a.assignee ?? '',
      a.kind ?? 'behaviour',
      a.agentId,
      a.user ?? '',
      a.title,
      a.reasons.join('; '),
      (a.ruleIds ?? []).join(' '),
    ]),
  );
}

export function timelineCsv(report: IncidentReport): string {
  return csv(
    ['time', 'kind', 'actor', 'text'],
    report.timeline.map((e) => [new Date(e.timeMs).toISOString(), e.kind, e.actor, e.text]),
  );
}

function csv(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const lines = [head.join(','), ...rows.map((row) => row.map(csvCell).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}
