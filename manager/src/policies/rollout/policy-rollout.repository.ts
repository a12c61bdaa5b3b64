// Storage of staged rollouts, one row per policy version rolled out.
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { entityManager, type Tx } from '../../database/transaction.runner';
import { PolicyRolloutEntity } from './policy-rollout.entity';

@Injectable()
export class PolicyRolloutRepository {
  constructor(private readonly db: DataSource) {}

  private repo(tx?: Tx) {
    return entityManager(this.db, tx).getRepository(PolicyRolloutEntity);
  }

  /** The rollout of the newest version that has one. */
  latest(tx?: Tx): Promise<PolicyRolloutEntity | null> {
    return this.repo(tx).findOne({ where: {}, order: { version: 'DESC' } });
  }

  async save(row: PolicyRolloutEntity, tx: Tx): Promise<void> {
    await this.repo(tx).upsert(row, ['version']);
  }
}
