import type { PolicyComplianceReport, TierCause } from '@wardwatch/shared';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMs, jsonText } from '../database/epoch-ms.transformer';

/**
 * One agent's policy: the tier an admin pinned (if any), what was last delivered (a
 * revision that only grows, with the policy version and tier it carried) and the
 * compliance the agent last reported, validated and bounded.
 */
@Entity({ name: 'agent_policy' })
export class AgentPolicyEntity {
  @PrimaryColumn({ name: 'agent_id', type: 'varchar', length: 64 })
  agentId!: string;

  @Column({ name: 'pinned_tier', type: 'varchar', length: 32, nullable: true })
  pinnedTier!: string | null;

  /** Delivery revision: raised each time the policy version or tier to deliver changes. */
  @Column({ type: 'integer' })
  revision!: number;

  @Column({ name: 'policy_version', type: 'integer' })
  policyVersion!: number;

  @Column({ type: 'varchar', length: 32 })
  tier!: string;

  @Column({ name: 'sent_at', type: 'bigint', nullable: true, transformer: epochMs })
  sentAt!: number | null;

  @Column({ type: 'text', nullable: true, transformer: jsonText })
  compliance!: PolicyComplianceReport | null;

  @Column({ name: 'compliance_at', type: 'bigint', nullable: true, transformer: epochMs })
  complianceAt!: number | null;

  /** The threat-driven level (0 the policy's lowest tier, 1 the second, 2 its strictest); see threat-tiers/. */
  @Column({ name: 'threat_level', type: 'integer', default: 0 })
  threatLevel!: number;

  @Column({ name: 'threat_cause', type: 'text', nullable: true, transformer: jsonText })
  threatCause!: TierCause | null;

  @Column({ name: 'threat_changed_at', type: 'bigint', nullable: true, transformer: epochMs })
  threatChangedAt!: number | null;

  /** Marked by an admin: gets each new policy version first (rollout/). */
  @Column({ type: 'boolean', default: false })
  canary!: boolean;
}
