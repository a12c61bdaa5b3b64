// Storage of each agent's policy assignment, delivery revision and compliance report.
import { Injectable } from '@nestjs/common';
import { DataSource, In, IsNull, Not } from 'typeorm';
import { entityManager, type Tx } from '../database/transaction.runner';
import type { TierCause } from '@wardwatch/shared';
import { AgentPolicyEntity } from './agent-policy.entity';

@Injectable()
export class AgentPolicyRepository {
  constructor(private readonly db: DataSource) {}

  private repo(tx?: Tx) {
    return entityManager(this.db, tx).getRepository(AgentPolicyEntity);
  }

  find(agentId: string, tx?: Tx): Promise<AgentPolicyEntity | null> {
    return this.repo(tx).findOne({ where: { agentId } });
  }

  list(limit: number): Promise<AgentPolicyEntity[]> {
    return this.repo().find({ order: { agentId: 'ASC' }, take: limit });
  }

  /** The tiers some agent is pinned to, with how many agents each. */
  async pinnedTiers(tx?: Tx): Promise<Map<string, number>> {
    const rows = await this.repo(tx).find({ where: { pinnedTier: Not(IsNull()) }, select: { pinnedTier: true } });
    const counts = new Map<string, number>();
    for (const row of rows) if (row.pinnedTier) counts.set(row.pinnedTier, (counts.get(row.pinnedTier) ?? 0) + 1);
    return counts;
  }

  async save(row: AgentPolicyEntity, tx?: Tx): Promise<void> {
    await this.repo(tx).upsert(row, ['agentId']);
  }

  /**
   * Changes some columns of the agent's row (made first when missing), leaving the others:
   * delivery, compliance, pins and threat levels are written by different paths, and a
   * whole-row write of one would undo a concurrent change of another.
   */
  async update(agentId: string, changes: Partial<Omit<AgentPolicyEntity, 'agentId'>>, tx?: Tx): Promise<void> {
    await this.repo(tx).createQueryBuilder().insert().values(freshAgentPolicy(agentId)).orIgnore().execute();
    await this.repo(tx).update({ agentId }, changes);
  }

  /**
   * Moves the agent's threat level only if it is still as `from` says (level and time of its
   * last change): one conditional UPDATE, atomic on SQLite and re-checked on PostgreSQL once
   * a concurrent writer of the row commits. True when this call moved it, false when another
   * manager on the database already did (it must then write no audit row).
   */
  async moveThreatLevel(
    agentId: string,
    from: { level: number; changedAt: number | null },
    to: { level: number; cause: TierCause; changedAt: number },
    tx: Tx,
  ): Promise<boolean> {
    await this.repo(tx).createQueryBuilder().insert().values(freshAgentPolicy(agentId)).orIgnore().execute();
    const update = this.repo(tx)
      .createQueryBuilder()
      .update()
      .set({ threatLevel: to.level, threatCause: to.cause, threatChangedAt: to.changedAt })
      .where('agent_id = :agentId AND threat_level = :level', { agentId, level: from.level });
    if (from.changedAt === null) update.andWhere('threat_changed_at IS NULL');
    else update.andWhere('threat_changed_at = :changedAt', { changedAt: from.changedAt });
    return ((await update.execute()).affected ?? 0) === 1;
  }

  /** The agents marked as canaries. */
  async canaries(tx?: Tx): Promise<string[]> {
    const rows = await this.repo(tx).find({ where: { canary: true }, select: { agentId: true } });
    return rows.map((r) => r.agentId);
  }

  findMany(agentIds: readonly string[], tx?: Tx): Promise<AgentPolicyEntity[]> {
    if (agentIds.length === 0) return Promise.resolve([]);
    return this.repo(tx).find({ where: { agentId: In([...agentIds]) } });
  }
}

/** An agent's row before anything was delivered to it. */
export function freshAgentPolicy(agentId: string): AgentPolicyEntity {
  return {
    agentId,
    pinnedTier: null,
    revision: 0,
    policyVersion: 0,
    tier: '',
    sentAt: null,
    compliance: null,
    complianceAt: null,
    threatLevel: 0,
    threatCause: null,
    threatChangedAt: null,
    canary: false,
  };
}
