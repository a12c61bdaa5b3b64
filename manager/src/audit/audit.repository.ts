// Storage of the keyed audit chain. Appending reads the head row and inserts the
// next one in the caller's transaction; the service computes the MAC in between. On
// PostgreSQL the transaction first takes the chain's advisory lock, so appenders take
// turns (across managers too) instead of colliding on the head and retrying: six at once
// on a loaded machine outran five attempts. SQLite runs one transaction at a time anyway.
import { Injectable } from '@nestjs/common';
import type { AuditFilter } from '@wardwatch/shared';
import { DataSource, type QueryDeepPartialEntity } from 'typeorm';
import { isPostgres } from '../database/engine-sql';
import { entityManager, type Tx } from '../database/transaction.runner';
import { AuditLogEntity } from './audit-log.entity';
import type { AuditRow } from './audit-chain';

/** pg_advisory_xact_lock key of the audit chain ("WWaudi" in ASCII): one lock, every manager. */
const CHAIN_LOCK_KEY = 0x5757_6175_6469;

@Injectable()
export class AuditRepository {
  constructor(private readonly db: DataSource) {}

  /** Waits for the chain's head to be this transaction's to extend (until it ends). */
  async lockHead(tx: Tx): Promise<void> {
    if (isPostgres(this.db))
      await entityManager(this.db, tx).query('SELECT pg_advisory_xact_lock($1)', [CHAIN_LOCK_KEY]);
  }

  async head(tx?: Tx): Promise<AuditRow | undefined> {
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

  /** Newest first, matching the filter, before `beforeSeq` when given. */
  list(limit: number, beforeSeq?: number, filter: AuditFilter = {}): Promise<AuditRow[]> {
    const qb = this.db.getRepository(AuditLogEntity).createQueryBuilder('a').where('1 = 1');
    if (beforeSeq !== undefined) qb.andWhere('a.seq < :beforeSeq', { beforeSeq });
    if (filter.actor !== undefined) qb.andWhere('a.actor = :actor', { actor: filter.actor });
    if (filter.action !== undefined) qb.andWhere('a.action = :action', { action: filter.action });
    if (filter.fromMs !== undefined) qb.andWhere('a.timeMs >= :fromMs', { fromMs: filter.fromMs });
    if (filter.toMs !== undefined) qb.andWhere('a.timeMs <= :toMs', { toMs: filter.toMs });
    return qb.orderBy('a.seq', 'DESC').take(limit).getMany();
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

  /** One past the head's sequence number: the first row a new audit key will cover. */
  async nextSeq(): Promise<number> {
    return ((await this.head())?.seq ?? 0) + 1;
  }
}
