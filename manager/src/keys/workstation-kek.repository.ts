// Storage of the workstations' KEKs (public half and sealed private half).
import { Injectable } from '@nestjs/common';
import { DataSource, IsNull } from 'typeorm';
import { entityManager, type Tx } from '../database/transaction.runner';
import { WorkstationKekEntity } from './workstation-kek.entity';

@Injectable()
export class WorkstationKekRepository {
  constructor(private readonly db: DataSource) {}

  /** Every version of every key of an agent, newest first. */
  forAgent(agentId: string, tx?: Tx): Promise<WorkstationKekEntity[]> {
    return entityManager(this.db, tx)
      .getRepository(WorkstationKekEntity)
      .find({ where: { agentId }, order: { createdAt: 'DESC', version: 'DESC' } });
  }

  find(keyId: string, version: number, tx?: Tx): Promise<WorkstationKekEntity | null> {
    return entityManager(this.db, tx).getRepository(WorkstationKekEntity).findOneBy({ keyId, version });
  }

  /** The newest version not revoked of the agent's newest key; null when it has none. */
  async current(agentId: string, tx?: Tx): Promise<WorkstationKekEntity | null> {
    return entityManager(this.db, tx)
      .getRepository(WorkstationKekEntity)
      .findOne({ where: { agentId, revokedAt: IsNull() }, order: { createdAt: 'DESC', version: 'DESC' } });
  }

  async insert(row: WorkstationKekEntity, tx?: Tx): Promise<void> {
    await entityManager(this.db, tx).createQueryBuilder().insert().into(WorkstationKekEntity).values(row).execute();
  }

  /** Revokes every version not yet revoked of the agent's keys; returns the key ids touched. */
  async revokeAll(agentId: string, at: number, by: string, tx: Tx): Promise<string[]> {
    const repo = entityManager(this.db, tx).getRepository(WorkstationKekEntity);
    const live = await repo.find({ where: { agentId, revokedAt: IsNull() } });
    if (live.length > 0) await repo.update({ agentId, revokedAt: IsNull() }, { revokedAt: at, revokedBy: by });
    return [...new Set(live.map((k) => k.keyId))];
  }
}
