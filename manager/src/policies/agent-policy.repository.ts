// Storage of each agent's policy assignment, delivery revision and compliance report.
import { Injectable } from '@nestjs/common';
import { DataSource, IsNull, Not } from 'typeorm';
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
}
