// Whether a workstation audits patient-file reads, from its last heartbeat's components:
// the reads collector (`collector.reads`, stopped with the reason where it is not made)
// and the check that audit rules cover the patient-data folders (`collector.reads.rule`).
// One reading for the dashboard's agent page and the manager's HIPAA report.
import { READ_RULE_COMPONENT, READS_COMPONENT } from '../local-api/status.schema';

export type ReadAuditState = 'audited' | 'partial' | 'not_audited' | 'unknown';

export interface ReadAudit {
  state: ReadAuditState;
  /** Why, in the agent's words where it gave them; empty when audited and checked. */
  detail: string;
}

interface ComponentLike {
  name: string;
  state: 'running' | 'failed' | 'stopped';
  message: string;
}

/** `components` of the last heartbeat; null before the first. */
export function readAudit(components: readonly ComponentLike[] | null): ReadAudit {
  if (components === null) return { state: 'unknown', detail: 'no heartbeat yet' };
  const reads = components.find((c) => c.name === READS_COMPONENT);
  if (!reads) return { state: 'unknown', detail: 'the agent does not say (older than reads auditing)' };
  if (reads.state !== 'running')
    return { state: 'not_audited', detail: reads.message || `the reads collector ${reads.state}` };
  const rule = components.find((c) => c.name === READ_RULE_COMPONENT);
  if (!rule) return { state: 'audited', detail: 'the audit rules could not be checked' };
  if (rule.state === 'stopped') return { state: 'not_audited', detail: rule.message };
  if (rule.state === 'failed') return { state: 'partial', detail: rule.message };
  return { state: 'audited', detail: '' };
}
