// Storage of the site settings, and the one question a first start asks of the rest of the
// database: has this site any data yet (an enrolled agent or a stored event)?
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { entityManager, type Tx } from '../database/transaction.runner';
import { SiteSettingEntity } from './site-setting.entity';

@Injectable()
export class SiteSettingRepository {
  constructor(private readonly db: DataSource) {}

  private repo(tx?: Tx) {
    return entityManager(this.db, tx).getRepository(SiteSettingEntity);
  }

  find(name: string, tx?: Tx): Promise<SiteSettingEntity | null> {
    return this.repo(tx).findOne({ where: { name } });
  }

  async save(row: SiteSettingEntity, tx: Tx): Promise<void> {
    await this.repo(tx).upsert(row, ['name']);
  }

  /** True once any agent has enrolled or any event is stored (revoked agents count: their tokens stay). */
  async siteHasData(tx?: Tx): Promise<boolean> {
    const manager = entityManager(this.db, tx);
    for (const table of ['agent', 'event']) {
      const rows: unknown[] = await manager.query(`SELECT 1 FROM ${table} LIMIT 1`);
      if (rows.length > 0) return true;
    }
    return false;
  }
}
