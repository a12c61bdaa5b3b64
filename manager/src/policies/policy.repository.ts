// Storage of policy versions. Rows are only inserted: a change is the next version, and
// the primary key refuses a second writer of the same one.
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { entityManager, type Tx } from '../database/transaction.runner';
import { PolicyVersionEntity } from './policy-version.entity';

@Injectable()
export class PolicyRepository {
  constructor(private readonly db: DataSource) {}

  private repo(tx?: Tx) {
    return entityManager(this.db, tx).getRepository(PolicyVersionEntity);
  }

  latest(tx?: Tx): Promise<PolicyVersionEntity | null> {
    return this.repo(tx).findOne({ where: {}, order: { version: 'DESC' } });
  }

  find(version: number, tx?: Tx): Promise<PolicyVersionEntity | null> {
    return this.repo(tx).findOne({ where: { version } });
  }

  /** Newest first. */
  list(limit: number): Promise<PolicyVersionEntity[]> {
    return this.repo().find({ order: { version: 'DESC' }, take: limit });
  }

  async insert(row: PolicyVersionEntity, tx: Tx): Promise<void> {
    await this.repo(tx).insert(row);
  }
}
