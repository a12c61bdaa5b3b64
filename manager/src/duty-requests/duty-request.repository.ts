// Storage of the requests awaiting a second person. A change is written only over the
// state it was decided on, so two people deciding at once cannot both win.
import { Injectable } from '@nestjs/common';
import type { DutyRequestKind, DutyRequestState } from '@wardwatch/shared';
import { DataSource, LessThanOrEqual } from 'typeorm';
import { entityManager, type Tx } from '../database/transaction.runner';
import { DutyRequestEntity } from './duty-request.entity';

export type DutyRequestChanges = Partial<Pick<DutyRequestEntity, 'state' | 'decidedBy' | 'decidedAt' | 'usableUntil'>>;

const PAGE = 200;

@Injectable()
export class DutyRequestRepository {
  constructor(private readonly db: DataSource) {}

  async insert(request: DutyRequestEntity, tx: Tx): Promise<void> {
    await entityManager(this.db, tx).getRepository(DutyRequestEntity).insert(request);
  }

  findById(id: string, tx?: Tx): Promise<DutyRequestEntity | null> {
    return entityManager(this.db, tx).getRepository(DutyRequestEntity).findOne({ where: { id } });
  }

  /** Applies the changes only if the row is still in state `from`; false otherwise. */
  async updateFrom(id: string, from: DutyRequestState, changes: DutyRequestChanges, tx: Tx): Promise<boolean> {
    const result = await entityManager(this.db, tx)
      .getRepository(DutyRequestEntity)
      .update({ id, state: from }, changes);
    return result.affected === 1;
  }

  /** Newest first, the latest 200 of this kind (and state, when given). */
  list(kind: DutyRequestKind, state?: DutyRequestState): Promise<DutyRequestEntity[]> {
    return this.db.getRepository(DutyRequestEntity).find({
      where: state ? { kind, state } : { kind },
      order: { createdAt: 'DESC', id: 'DESC' },
      take: PAGE,
    });
  }

  /** Pending requests at or past their expiry, soonest first, at most `limit`. */
  duePending(now: number, limit: number): Promise<DutyRequestEntity[]> {
    return this.db.getRepository(DutyRequestEntity).find({
      where: { state: 'pending', expiresAt: LessThanOrEqual(now) },
      order: { expiresAt: 'ASC', id: 'ASC' },
      take: limit,
    });
  }
}
