// An agent's PolicyCompliance as the manager keeps it. Every value is the agent's word
// and may be hostile: the shared schema bounds strings, counts and states; the counts of
// lists are checked before the schema looks at each item. A report outside the bounds
// is not stored (the caller counts and logs it); an honest agent fits them
// (agent/src/policy/).
import type { PolicyCompliance } from '@wardwatch/proto';
import { MAX_COMPLIANCE_ERRORS, MAX_COMPLIANCE_SETTINGS, PolicyComplianceReport } from '@wardwatch/shared';

export function readComplianceReport(
  input: PolicyCompliance,
): { ok: true; report: PolicyComplianceReport } | { ok: false; reason: string } {
  if (input.errors.length > MAX_COMPLIANCE_ERRORS) return { ok: false, reason: 'too many errors' };
  if (input.settings.length > MAX_COMPLIANCE_SETTINGS) return { ok: false, reason: 'too many settings' };
  const parsed = PolicyComplianceReport.safeParse({
    revision: input.revision,
    policyVersion: input.policyVersion,
    tier: input.tier,
    applied: input.applied,
    errors: input.errors,
    diskEncryption: { state: input.diskEncryption?.state ?? 'unknown', detail: input.diskEncryption?.detail ?? '' },
    settings: input.settings,
    reportedAtMs: input.reportedAtMs,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, reason: `${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`.slice(0, 200) };
  }
  return { ok: true, report: parsed.data };
}
