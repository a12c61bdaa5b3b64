// REST API v1 for threat-driven tiers and the staged rollout of a policy version: why a
// workstation or a unit holds its tier (the cause the manager recorded with the change)
// and where a new version's rollout stands (canaries first, then the fleet).
import { z } from 'zod';
import { TierId } from './policy-document.schema';

/** Alert severities a tier threshold counts (an alert counts for its own and every lower one). */
export const tierAlertSeverities = ['low', 'medium', 'high', 'critical'] as const;
export const TierAlertSeverity = z.enum(tierAlertSeverities);
export type TierAlertSeverity = z.infer<typeof TierAlertSeverity>;

/** Why a threat-driven tier changed: an alert, a risk score, quiet for the cool-down, or a unit's workstations. */
export const TierCause = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('alert'),
    alertId: z.string(),
    severity: TierAlertSeverity,
    /** Open alerts at this severity or above within the window, when the threshold was met. */
    openAlerts: z.number().int(),
  }),
  z.object({ kind: z.literal('score'), score: z.number(), windowStart: z.number() }),
  z.object({ kind: z.literal('cool_down'), quietSinceMs: z.number() }),
  z.object({
    kind: z.literal('workstations'),
    /** Workstations of the unit at `level` or above, of `of` workstations. */
    level: z.number().int(),
    count: z.number().int(),
    of: z.number().int(),
  }),
]);
export type TierCause = z.infer<typeof TierCause>;

/** Where an agent's assigned tier comes from: an admin's pin, its own risk, its unit's, or the lowest tier. */
export const tierSources = ['pin', 'threat', 'unit', 'default'] as const;
export const TierSource = z.enum(tierSources);
export type TierSource = z.infer<typeof TierSource>;

/** A workstation's (or unit's) threat-driven level: 0 the lowest tier, 1 the second, 2 the strictest. */
export const ThreatTierView = z.object({
  level: z.number().int(),
  tier: TierId,
  cause: TierCause.nullable(),
  changedAt: z.number().nullable(),
});
export type ThreatTierView = z.infer<typeof ThreatTierView>;

export const UnitTierView = ThreatTierView.extend({ unit: z.string() });
export type UnitTierView = z.infer<typeof UnitTierView>;
export const UnitTierList = z.object({ items: z.array(UnitTierView) });
export type UnitTierList = z.infer<typeof UnitTierList>;

/** Marks or unmarks a workstation as a canary of the staged rollout. */
export const AgentCanaryRequest = z.object({ canary: z.boolean() }).strict();
export type AgentCanaryRequest = z.infer<typeof AgentCanaryRequest>;

/**
 * canary: only the canaries hold the new version; halted: a canary failed (the fleet
 * stays on the previous version until an admin resumes or aborts); complete: the fleet
 * holds it; aborted: everyone back on the previous version; superseded: a newer version
 * started its own rollout.
 */
export const rolloutStates = ['canary', 'halted', 'complete', 'aborted', 'superseded'] as const;
export const RolloutState = z.enum(rolloutStates);
export type RolloutState = z.infer<typeof RolloutState>;

export const RolloutCanaryView = z.object({
  agentId: z.string(),
  status: z.enum(['waiting', 'ok', 'failed']),
  problems: z.array(z.string()),
});
export type RolloutCanaryView = z.infer<typeof RolloutCanaryView>;

export const PolicyRolloutView = z.object({
  version: z.number().int(),
  fromVersion: z.number().int(),
  state: RolloutState,
  canaries: z.array(RolloutCanaryView),
  startedAt: z.number(),
  /** When every canary first reported the version applied without failure. */
  canariesOkAt: z.number().nullable(),
  /** When the fleet gets the version, if the canaries stay well. */
  soakEndsAt: z.number().nullable(),
  /** While in canary: when the rollout halts if a canary still has not reported the version (null: never). */
  canaryDeadlineAt: z.number().nullable(),
  haltReason: z.string().nullable(),
  updatedAt: z.number(),
  updatedBy: z.string(),
});
export type PolicyRolloutView = z.infer<typeof PolicyRolloutView>;

/** An admin promotes a rollout to the whole fleet before its canaries finished (or past a halt): why, for the audit trail. */
export const PolicyRolloutPromoteRequest = z.strictObject({ reason: z.string().trim().min(1).max(500) });
export type PolicyRolloutPromoteRequest = z.infer<typeof PolicyRolloutPromoteRequest>;

export const PolicyRolloutAnswer = z.object({ rollout: PolicyRolloutView.nullable() });
export type PolicyRolloutAnswer = z.infer<typeof PolicyRolloutAnswer>;
