// Storage of the hash-chained audit log. Appending reads the head row and inserts the
// next one in the caller's transaction; the service computes the hash in between.
import { Injectable } from '@nestjs/common';
import { DataSource, type QueryDeepPartialEntity } from 'typeorm';
import { entityManager, type Tx } from '../database/transaction.runner';
import { AuditLogEntity } from './audit-log.entity';
import type { AuditRow } from './audit-chain';

@Injectable()
export class AuditRepository {
  constructor(private readonly db: DataSource) {}

  async head(tx: Tx): Promise<AuditRow | undefined> {
    const [head] = await entityManager(this.db, tx)
      .getRepository(AuditLogEntity)
      .find({ order: { seq: 'DESC' }, take: 1 });
    return head;
  }

  async insert(row: AuditRow, tx: Tx): Promise<void> {
    // TypeORM cannot type a JSON column through its transformer; the row matches the entity.
    await entityManager(this.db, tx)
      .getRepository(AuditLogEntity)
      .insert(row as QueryDeepPartialEntity<AuditLogEntity>);
  }

  /** Newest first, before `beforeSeq` when given. */
  list(limit: number, beforeSeq?: number): Promise<AuditRow[]> {
    const qb = this.db.getRepository(AuditLogEntity).createQueryBuilder('a').orderBy('a.seq', 'DESC').take(limit);
    if (beforeSeq !== undefined) qb.where('a.seq < :beforeSeq', { beforeSeq });
    return qb.getMany();
  }

  /** Oldest first, after `afterSeq`. */
  listAfter(afterSeq: number, limit: number): Promise<AuditRow[]> {
    return this.db
      .getRepository(AuditLogEntity)
      .createQueryBuilder('a')
      .where('a.seq > :afterSeq', { afterSeq })
      .orderBy('a.seq', 'ASC')
      .take(limit)
      .getMany();
  }
}
