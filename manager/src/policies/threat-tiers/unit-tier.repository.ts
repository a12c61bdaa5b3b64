// Storage of each unit's threat-driven level.
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { entityManager, type Tx } from '../../database/transaction.runner';
import { UnitTierEntity } from './unit-tier.entity';

/** Units listed: more than a hospital has wards. */
export const MAX_UNITS = 1_000;

@Injectable()
export class UnitTierRepository {
  constructor(private readonly db: DataSource) {}

  private repo(tx?: Tx) {
    return entityManager(this.db, tx).getRepository(UnitTierEntity);
  }

  find(unit: string, tx?: Tx): Promise<UnitTierEntity | null> {
    return this.repo(tx).findOne({ where: { unit } });
  }

  list(tx?: Tx): Promise<UnitTierEntity[]> {
    return this.repo(tx).find({ order: { unit: 'ASC' }, take: MAX_UNITS });
  }

  async save(row: UnitTierEntity, tx: Tx): Promise<void> {
    await this.repo(tx).upsert(row, ['unit']);
  }
}
