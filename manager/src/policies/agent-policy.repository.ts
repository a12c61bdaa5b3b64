// Storage of each agent's policy assignment, delivery revision and compliance report.
import { Injectable } from '@nestjs/common';
import { DataSource, In, IsNull, Not } from 'typeorm';
import { entityManager, type Tx } from '../database/transaction.runner';
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
