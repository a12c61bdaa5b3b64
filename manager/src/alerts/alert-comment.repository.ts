// Storage of analysts' comments on alerts. Written only by AlertTriageService, each
// inside the transaction that writes its `alert.comment` audit row.
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { deleteBounded } from '../database/bounded-delete';
import { entityManager, type Tx } from '../database/transaction.runner';
import { AlertCommentEntity } from './alert-comment.entity';

@Injectable()
export class AlertCommentRepository {
  constructor(private readonly db: DataSource) {}

  async insert(comment: AlertCommentEntity, tx: Tx): Promise<void> {
    await entityManager(this.db, tx).getRepository(AlertCommentEntity).insert(comment);
  }

  /** How many comments the alert holds and when the newest was written (0 without one). */
  async tally(alertId: string, tx?: Tx): Promise<{ count: number; lastAt: number }> {
    const row = await entityManager(this.db, tx)
      .getRepository(AlertCommentEntity)
      .createQueryBuilder('c')
      .select('COUNT(*)', 'count')
      .addSelect('MAX(c.created_at)', 'lastAt')
      .where('c.alert_id = :alertId', { alertId })
      .getRawOne<{ count: number | string; lastAt: number | string | null }>();
    return { count: Number(row?.count ?? 0), lastAt: Number(row?.lastAt ?? 0) };
  }

  /** Oldest first, at most `limit` (served by idx_alert_comment_alert). */
  listFor(alertId: string, limit: number): Promise<AlertCommentEntity[]> {
    return this.db
      .getRepository(AlertCommentEntity)
      .find({ where: { alertId }, order: { createdAt: 'ASC', id: 'ASC' }, take: limit });
  }

  /** Deletes up to `limit` comments whose alert retention removed; returns how many. */
  deleteOrphans(limit: number, tx: Tx): Promise<number> {
    return deleteBounded(entityManager(this.db, tx), {
      entity: AlertCommentEntity,
      keys: ['id'],
      where: 'old.alert_id NOT IN (SELECT a.id FROM alert a)',
      cutoffMs: 0,
      limit,
    });
  }
}
