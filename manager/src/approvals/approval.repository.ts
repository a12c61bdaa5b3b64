// Storage of the approvals queue. Written only by ApprovalService; every change is
// conditional on the revision it was decided on, so two people deciding at once
// cannot both win (the loser is told the proposal changed meanwhile).
import { Injectable } from '@nestjs/common';
import type { ApprovalState } from '@wardwatch/shared';
import { DataSource, LessThanOrEqual, MoreThan } from 'typeorm';
import { entityManager, type Tx } from '../database/transaction.runner';
import { ApprovalEntity } from './approval.entity';

/** The sort key of the approval list: creation time, then id. */
export type ApprovalKey = [createdAt: number, id: string];

export type ApprovalChanges = Partial<Omit<ApprovalEntity, 'id' | 'revision'>>;

@Injectable()
export class ApprovalRepository {
  constructor(private readonly db: DataSource) {}

  async insert(approval: ApprovalEntity, tx: Tx): Promise<void> {
    await entityManager(this.db, tx).getRepository(ApprovalEntity).insert(approval);
  }

  findById(id: string, tx?: Tx): Promise<ApprovalEntity | null> {
    return entityManager(this.db, tx).getRepository(ApprovalEntity).findOne({ where: { id } });
  }

  /** Applies the changes and raises the revision, only if the row is still at `revision`; false otherwise. */
  async updateAtRevision(id: string, revision: number, changes: ApprovalChanges, tx: Tx): Promise<boolean> {
    const result = await entityManager(this.db, tx)
      .getRepository(ApprovalEntity)
      .update({ id, revision }, { ...changes, revision: revision + 1 });
    return result.affected === 1;
  }

  /** Newest first, of these states when given, after `after`; `limit + 1` rows at most so the caller sees whether more follow. */
  page(states: readonly ApprovalState[] | undefined, limit: number, after?: ApprovalKey): Promise<ApprovalEntity[]> {
    const qb = this.db.getRepository(ApprovalEntity).createQueryBuilder('a');
    if (states) qb.andWhere('a.state IN (:...states)', { states });
    if (after) qb.andWhere('(a.createdAt < :t OR (a.createdAt = :t AND a.id < :id))', { t: after[0], id: after[1] });
    return qb
      .orderBy('a.createdAt', 'DESC')
      .addOrderBy('a.id', 'DESC')
      .take(limit + 1)
      .getMany();
  }

  /** Pending proposals whose expiry is at or before `now`, soonest first, at most `limit`. */
  duePending(now: number, limit: number): Promise<ApprovalEntity[]> {
    return this.db.getRepository(ApprovalEntity).find({
      where: { state: 'pending', expiresAt: LessThanOrEqual(now) },
      order: { expiresAt: 'ASC', id: 'ASC' },
      take: limit,
    });
  }

  /** Pending proposals still open to a decision (not past their expiry) at `now`. */
  countPending(now: number): Promise<number> {
    return this.db.getRepository(ApprovalEntity).count({ where: { state: 'pending', expiresAt: MoreThan(now) } });
  }
}
