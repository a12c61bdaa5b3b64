// Storage of each agent's reported command keys and its break-glass / maintenance state,
// and of the LocalAction ids already seen (so a repeated one is ignored).
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { entityManager, type Tx } from '../database/transaction.runner';
import { AgentResponseStateEntity } from './agent-response-state.entity';
import { LocalActionEntity } from './local-action.entity';

@Injectable()
export class AgentResponseStateRepository {
  constructor(private readonly db: DataSource) {}

  find(agentId: string, tx?: Tx): Promise<AgentResponseStateEntity | null> {
    return entityManager(this.db, tx).getRepository(AgentResponseStateEntity).findOne({ where: { agentId } });
  }

  async save(state: AgentResponseStateEntity, tx?: Tx): Promise<void> {
    await entityManager(this.db, tx).getRepository(AgentResponseStateEntity).upsert(state, ['agentId']);
  }

  /** Stores the LocalAction's id; false when this agent sent that id before. */
  async addLocalAction(action: LocalActionEntity, tx: Tx): Promise<boolean> {
    const manager = entityManager(this.db, tx);
    const seen = await manager
      .getRepository(LocalActionEntity)
      .exists({ where: { agentId: action.agentId, id: action.id } });
    if (seen) return false;
    // One session per agent makes a concurrent twin unlikely; if one comes, it is ignored, not an error.
    await manager.createQueryBuilder().insert().into(LocalActionEntity).values(action).orIgnore().execute();
    return true;
  }
}
