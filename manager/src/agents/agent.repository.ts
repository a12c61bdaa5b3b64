// Storage of the agent register. Status changes are conditional updates, so that a
// revoked agent stays revoked whatever its stream reports afterwards.
import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { entityManager, type Tx } from '../database/transaction.runner';
import { AgentEntity, type AgentStatus } from './agent.entity';

export type AgentChanges = Partial<Omit<AgentEntity, 'id' | 'certFingerprint' | 'enrolledAt'>>;

@Injectable()
export class AgentRepository {
  constructor(private readonly db: DataSource) {}

  private repo(tx?: Tx) {
    return entityManager(this.db, tx).getRepository(AgentEntity);
  }

  list(limit: number): Promise<AgentEntity[]> {
    return this.repo().find({ order: { hostname: 'ASC', id: 'ASC' }, take: limit });
  }

  findById(id: string): Promise<AgentEntity | null> {
    return this.repo().findOneBy({ id });
  }

  async insert(agent: AgentEntity, tx?: Tx): Promise<void> {
    await this.repo(tx).insert(agent);
  }

  /** Applies the changes only while the agent's status is one of `when` (all agents when no id). */
  async update(id: string | undefined, changes: AgentChanges, when?: AgentStatus[], tx?: Tx): Promise<void> {
    await this.repo(tx).update({ ...(id === undefined ? {} : { id }), ...(when ? { status: In(when) } : {}) }, changes);
  }
}
