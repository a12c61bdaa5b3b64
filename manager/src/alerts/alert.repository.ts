// Storage of alerts. Written only by AlertService, always inside the transaction
// that also writes the alert's audit row.
import { Injectable } from '@nestjs/common';
import { DataSource, IsNull } from 'typeorm';
import { entityManager, type Tx } from '../database/transaction.runner';
import { deleteBounded } from '../database/bounded-delete';
import type { AlertKind } from '@wardwatch/shared';
import { AlertEntity } from './alert.entity';

/** The sort key of the alert list: creation time, then id. */
export type AlertKey = [createdAt: number, id: string];

export type NewAlert = Omit<
  AlertEntity,
  'reasonDetails' | 'ruleIds' | 'threshold' | 'modelSource' | 'kind' | 'suspects'
> &
  Partial<Pick<AlertEntity, 'reasonDetails' | 'ruleIds' | 'threshold' | 'modelSource' | 'kind' | 'suspects'>>;

@Injectable()
export class AlertRepository {
  constructor(private readonly db: DataSource) {}

  async insert(alert: NewAlert, tx: Tx): Promise<void> {
    await entityManager(this.db, tx).createQueryBuilder().insert().into(AlertEntity).values(alert).execute();
  }

  findById(id: string): Promise<AlertEntity | null> {
    return this.db.getRepository(AlertEntity).findOne({ where: { id } });
  }

  /** The open alert of one user-window of one agent, if any. */
  findOpen(agentId: string, user: string, windowStart: number, tx: Tx): Promise<AlertEntity | null> {
    return entityManager(this.db, tx)
      .getRepository(AlertEntity)
      .findOne({ where: { agentId, user, windowStart, status: 'open' } });
  }

  /** The alert of one kind for one agent and window start (an episode), whatever its status. */
  findEpisode(kind: AlertKind, agentId: string, windowStart: number, tx: Tx): Promise<AlertEntity | null> {
    return entityManager(this.db, tx).getRepository(AlertEntity).findOne({ where: { kind, agentId, windowStart } });
  }

  /** Alerts of one kind whose episode has not ended (no window end), oldest first, at most `limit`. */
  unended(kind: AlertKind, limit: number): Promise<AlertEntity[]> {
    return this.db
      .getRepository(AlertEntity)
      .find({ where: { kind, windowEnd: IsNull() }, order: { createdAt: 'ASC', id: 'ASC' }, take: limit });
  }

  async update(id: string, changes: Partial<Omit<AlertEntity, 'id'>>, tx: Tx): Promise<void> {
    await entityManager(this.db, tx).getRepository(AlertEntity).update({ id }, changes);
  }

  /** Newest first, after `after` when given; `limit + 1` rows at most so the caller sees whether more follow. */
  page(limit: number, after?: AlertKey): Promise<AlertEntity[]> {
    const qb = this.db.getRepository(AlertEntity).createQueryBuilder('a');
    if (after) qb.where('(a.createdAt < :t OR (a.createdAt = :t AND a.id < :id))', { t: after[0], id: after[1] });
    return qb
      .orderBy('a.createdAt', 'DESC')
      .addOrderBy('a.id', 'DESC')
      .take(limit + 1)
      .getMany();
  }

  /** Deletes up to `limit` alerts neither raised nor updated since `cutoffMs`; returns how many. */
  deleteUntouchedSince(cutoffMs: number, limit: number, tx: Tx): Promise<number> {
    return deleteBounded(entityManager(this.db, tx), {
      entity: AlertEntity,
      keys: ['id'],
      where: 'old.created_at < :cutoff AND (old.updated_at IS NULL OR old.updated_at < :cutoff)',
      cutoffMs,
      limit,
    });
  }
}
