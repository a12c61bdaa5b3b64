// Why an agent holds its tier, in a short phrase for the Fleet page: the pin, its own risk
// (the alert, score or cool-down the manager recorded) or its unit's. Plain text: React
// escapes it, and every value in it is a number or one of the schema's names.
import type { AgentPolicyView, TierCause } from '@wardwatch/shared';

export function causeText(cause: TierCause | null): string {
  if (!cause) return '';
  switch (cause.kind) {
    case 'alert':
      return `${cause.openAlerts} open ${cause.severity} alert${cause.openAlerts === 1 ? '' : 's'}`;
    case 'score':
      return `risk score ${Math.round(cause.score)}`;
    case 'cool_down':
      return 'lowered after a quiet cool-down';
    case 'workstations':
      return `${cause.count} of ${cause.of} workstations at risk`;
  }
}

export function tierReason(policy: AgentPolicyView): string {
  switch (policy.tierSource) {
    case 'pin':
      return policy.threat.level > 0 ? `pinned; its risk alone says ${policy.threat.tier}` : 'pinned';
    case 'threat':
      return causeText(policy.threat.cause);
    case 'unit':
      return `its unit: ${causeText(policy.unitTier?.cause ?? null)}`;
    case 'default':
      return policy.threat.cause?.kind === 'cool_down' ? causeText(policy.threat.cause) : '';
  }
}
