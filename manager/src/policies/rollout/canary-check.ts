// How a canary stands with the version being rolled out, from its last compliance report.
// Only a report of that version, received after the rollout started (or was resumed),
// counts. A failure is what the version did wrong: not applied, an error, or a setting
// that failed. A setting this build cannot enforce (`not_enforced`) is no failure of the
// version: it holds on every version, and would halt every rollout.
import type { PolicyComplianceReport, RolloutCanaryView } from '@wardwatch/shared';

export function canaryStatus(
  version: number,
  since: number,
  report: PolicyComplianceReport | null,
  reportedAt: number | null,
): Pick<RolloutCanaryView, 'status' | 'problems'> {
  if (!report || reportedAt === null || reportedAt < since || report.policyVersion !== version)
    return { status: 'waiting', problems: [] };
  const problems = [
    ...(report.applied ? [] : ['the version was not applied']),
    ...report.errors,
    ...report.settings.filter((s) => s.state === 'failed').map((s) => `${s.name}: ${s.detail}`),
  ];
  return problems.length > 0 ? { status: 'failed', problems } : { status: 'ok', problems: [] };
}
