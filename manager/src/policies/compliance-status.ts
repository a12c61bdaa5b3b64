// Whether an agent complies with the policy assigned to it, from its last report:
// compliant only when the assigned revision is in force and nothing failed or went
// unenforced (a setting this build cannot enforce is not compliance, and says so).
import type { ComplianceStatus, PolicyComplianceReport } from '@wardwatch/shared';

export function complianceStatus(
  assignedRevision: number,
  report: PolicyComplianceReport | null,
): { status: ComplianceStatus; problems: string[] } {
  if (!report) return { status: 'unknown', problems: ['no compliance report yet'] };
  const problems: string[] = [...report.errors];
  if (!report.applied && report.errors.length === 0) problems.push('the policy is not in force');
  for (const setting of report.settings) {
    if (setting.state === 'failed') problems.push(`${setting.name}: ${setting.detail}`);
    if (setting.state === 'not_enforced') problems.push(`${setting.name}: not enforced`);
  }
  if (problems.length > 0) return { status: 'non_compliant', problems };
  if (report.revision < assignedRevision)
    return { status: 'pending', problems: [`revision ${assignedRevision} not applied yet`] };
  return { status: 'compliant', problems: [] };
}
