// Storage of playbook versions. Rows are only inserted: a change is the next version,
// and the primary key (playbook_id, version) refuses a second writer of the same one.
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { entityManager, type Tx } from '../database/transaction.runner';
import { PlaybookVersionEntity } from './playbook-version.entity';

@Injectable()
export class PlaybookRepository {
  constructor(private readonly db: DataSource) {}

  private repo(tx?: Tx) {
    return entityManager(this.db, tx).getRepository(PlaybookVersionEntity);
  }

  /** The current (highest) version of every playbook, by id. */
  latestAll(limit: number, tx?: Tx): Promise<PlaybookVersionEntity[]> {
    const repo = this.repo(tx);
    return repo
      .createQueryBuilder('pv')
      .where(
        (qb) =>
          'pv.version = ' +
          qb
            .subQuery()
            .select('MAX(other.version)')
            .from(PlaybookVersionEntity, 'other')
            .where('other.playbook_id = pv.playbook_id')
            .getQuery(),
      )
      .orderBy('pv.playbook_id', 'ASC')
      .take(limit)
      .getMany();
  }

  latest(playbookId: string, tx?: Tx): Promise<PlaybookVersionEntity | null> {
    return this.repo(tx).findOne({ where: { playbookId }, order: { version: 'DESC' } });
  }

  /** Every version of one playbook, newest first. */
  versions(playbookId: string, limit: number): Promise<PlaybookVersionEntity[]> {
    return this.repo().find({ where: { playbookId }, order: { version: 'DESC' }, take: limit });
  }

  count(tx?: Tx): Promise<number> {
    return this.repo(tx).count();
  }

  async insert(row: PlaybookVersionEntity, tx: Tx): Promise<void> {
    await this.repo(tx).insert(row);
  }
}
