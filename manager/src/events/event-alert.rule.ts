// The single-event alert rule: every event an agent rated high or critical raises
// an alert (written and audited by alerts/AlertService). Behaviour across events is
// scored on the agents; their scores become alerts in alerts/score-ingest.service.ts.
import { Severity } from '@wardwatch/proto';
import type { AlertDraft } from '../alerts/alert-draft';
import type { EventRecord } from './event-record';

const scoreBySeverity: Record<number, number> = { [Severity.SEVERITY_HIGH]: 70, [Severity.SEVERITY_CRITICAL]: 90 };

export function alertsFor(records: EventRecord[]): AlertDraft[] {
  return records
    .filter((r) => r.severity >= Severity.SEVERITY_HIGH)
    .map((r) => ({
      agentId: r.agentId,
      severity: r.severity,
      score: scoreBySeverity[r.severity] ?? 70,
      title:
        `${r.severity === Severity.SEVERITY_CRITICAL ? 'Critical' : 'High'} ${r.category} event: ${r.action} on ${r.hostname}`.slice(
          0,
          255,
        ),
      reasons: [
        `the agent rated this ${r.category} event ${r.severity === Severity.SEVERITY_CRITICAL ? 'critical' : 'high'}`,
      ],
      eventIds: [r.eventId],
    }));
}
