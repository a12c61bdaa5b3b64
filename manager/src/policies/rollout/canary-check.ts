// How a canary stands with the version being rolled out, from its last compliance report.
// Only a report received after that version was delivered to it, and after the rollout
// started (or was resumed), counts. A failed apply is reported with the revision the
// agent kept (it rolled back), so a failure is read from the report's content: not
// applied, an error, or a setting that failed. A setting this build cannot enforce
// (`not_enforced`) is no failure of the version: it holds on every version, and would
// halt every rollout. Well: the report is of the version itself and has no failure.
import type { PolicyComplianceReport, RolloutCanaryView } from '@wardwatch/shared';

/** What the manager keeps of one canary: what it last sent and what the agent last said. */
export interface CanaryRecord {
  policyVersion: number;
  sentAt: number | null;
  compliance: PolicyComplianceReport | null;
  complianceAt: number | null;
}

export function canaryStatus(
  version: number,
  since: number,
  record: CanaryRecord | undefined,
): Pick<RolloutCanaryView, 'status' | 'problems'> {
  const report = record?.compliance ?? null;
  const reportedAt = record?.complianceAt ?? null;
  const waiting: Pick<RolloutCanaryView, 'status' | 'problems'> = { status: 'waiting', problems: [] };
  if (!record || !report || reportedAt === null || record.policyVersion !== version) return waiting;
  if (reportedAt < since || reportedAt < (record.sentAt ?? 0)) return waiting;
  const problems = [
    ...(report.applied ? [] : ['the version was not applied']),
    ...report.errors,
    ...report.settings.filter((s) => s.state === 'failed').map((s) => `${s.name}: ${s.detail}`),
  ];
  if (problems.length > 0) return { status: 'failed', problems };
  return report.policyVersion === version ? { status: 'ok', problems: [] } : waiting;
}
