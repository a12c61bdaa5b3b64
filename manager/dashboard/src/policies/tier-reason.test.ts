import type { AgentPolicyView } from '@wardwatch/shared';
import { describe, expect, it } from 'vitest';
import { tierReason } from './tier-reason';

const base: AgentPolicyView = {
  agentId: 'a1',
  pinnedTier: null,
  tier: 'baseline',
  tierSource: 'default',
  threat: { level: 0, tier: 'baseline', cause: null, changedAt: null },
  unitTier: null,
  canary: false,
  policyVersion: 1,
  revision: 1,
  status: 'compliant',
  problems: [],
  compliance: null,
  complianceAt: null,
};

describe('tierReason', () => {
  it('says what lifted the tier: an alert, a score, the unit, or a pin over the risk', () => {
    const alert = { kind: 'alert', alertId: 'x', severity: 'critical', openAlerts: 2 } as const;
    expect(tierReason({ ...base, tierSource: 'threat', threat: { ...base.threat, level: 2, cause: alert } })).toBe(
      '2 open critical alerts',
    );
    const score = { kind: 'score', score: 91.6, windowStart: 0 } as const;
    expect(tierReason({ ...base, tierSource: 'threat', threat: { ...base.threat, level: 2, cause: score } })).toBe(
      'risk score 92',
    );
    const unit = { kind: 'workstations', level: 1, count: 3, of: 8 } as const;
    expect(
      tierReason({ ...base, tierSource: 'unit', unitTier: { level: 1, tier: 'elevated', cause: unit, changedAt: 1 } }),
    ).toBe('its unit: 3 of 8 workstations at risk');
    expect(
      tierReason({ ...base, tierSource: 'pin', threat: { level: 2, tier: 'lockdown', cause: score, changedAt: 1 } }),
    ).toBe('pinned; its risk alone says lockdown');
    expect(tierReason(base)).toBe('');
  });
});
