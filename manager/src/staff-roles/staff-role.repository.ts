// Storage of the staff roles: one row per user token, replaced or deleted whole.
import { Injectable } from '@nestjs/common';
import { DataSource, MoreThan } from 'typeorm';
import { entityManager, type Tx } from '../database/transaction.runner';
import { StaffRoleEntity } from './staff-role.entity';

@Injectable()
export class StaffRoleRepository {
  constructor(private readonly db: DataSource) {}

  private repo(tx?: Tx) {
    return entityManager(this.db, tx).getRepository(StaffRoleEntity);
  }

  find(userToken: string, tx?: Tx): Promise<StaffRoleEntity | null> {
    return this.repo(tx).findOne({ where: { userToken } });
  }

  /** By token, after `after`; `limit + 1` rows at most so the caller sees whether more follow. */
  page(limit: number, after?: string): Promise<StaffRoleEntity[]> {
    return this.repo().find({
      where: after === undefined ? {} : { userToken: MoreThan(after) },
      order: { userToken: 'ASC' },
      take: limit + 1,
    });
  }

  async upsert(row: StaffRoleEntity, tx: Tx): Promise<void> {
    await this.repo(tx).upsert(row, ['userToken']);
  }

  async delete(userToken: string, tx: Tx): Promise<void> {
    await this.repo(tx).delete({ userToken });
  }
}
