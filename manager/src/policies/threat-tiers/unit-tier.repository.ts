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

  /**
   * Moves the unit's level only if its row is still `from` (null: no row, level 0): one
   * conditional UPDATE, as AgentPolicyRepository.moveThreatLevel. True when this call moved it.
   */
  async move(from: UnitTierEntity | null, to: UnitTierEntity, tx: Tx): Promise<boolean> {
    // A unit without a row is at 0: a seed row at 0 (changed at 0, never seen outside this
    // transaction) gives the conditional update a row to match; another manager's row wins.
    if (!from)
      await this.repo(tx)
        .createQueryBuilder()
        .insert()
        .values({ unit: to.unit, level: 0, cause: null, changedAt: 0 })
        .orIgnore()
        .execute();
    const result = await this.repo(tx)
      .createQueryBuilder()
      .update()
      .set({ level: to.level, cause: to.cause, changedAt: to.changedAt })
      .where('unit = :unit AND level = :level AND changed_at = :changedAt', {
        unit: to.unit,
        level: from?.level ?? 0,
        changedAt: from?.changedAt ?? 0,
      })
      .execute();
    return (result.affected ?? 0) === 1;
  }
}
