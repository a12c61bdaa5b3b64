// Storage of alerts. Written only by AlertService, always inside the transaction
// that also writes the alert's audit row.
import { Injectable } from '@nestjs/common';
import { Between, DataSource, In, IsNull, Not } from 'typeorm';
import { entityManager, type Tx } from '../database/transaction.runner';
import { deleteBounded } from '../database/bounded-delete';
import type { AlertKind, AlertStatus } from '@wardwatch/shared';
import { AlertEntity, type AlertTriageFields } from './alert.entity';

/** The sort key of the alert list: creation time, then id. */
export type AlertKey = [createdAt: number, id: string];

/** Fields a new alert may leave to their defaults (the triage ones start empty, at revision 1). */
type DefaultedField =
  | 'reasonDetails'
  | 'ruleIds'
  | 'threshold'
  | 'modelSource'
  | 'kind'
  | 'suspects'
  | 'identityMismatch'
  | 'revision'
  | keyof Omit<AlertTriageFields, 'status'>;

export type NewAlert = Omit<AlertEntity, DefaultedField> & Partial<Pick<AlertEntity, DefaultedField>>;

/** Alerts of one user or one workstation (or both) created within a time range. */
export interface AlertNeighbourhood {
  agentId?: string;
  user?: string;
  fromMs: number;
  toMs: number;
}

/** Statuses in which later scores of the window still fold into the alert. */
const NOT_CLOSED: AlertStatus[] = ['open', 'acknowledged'];

@Injectable()
export class AlertRepository {
  constructor(private readonly db: DataSource) {}

  async insert(alert: NewAlert, tx: Tx): Promise<void> {
    await entityManager(this.db, tx).createQueryBuilder().insert().into(AlertEntity).values(alert).execute();
  }

  findById(id: string, tx?: Tx): Promise<AlertEntity | null> {
    return entityManager(this.db, tx).getRepository(AlertEntity).findOne({ where: { id } });
  }

  /** The alert of one user-window of one agent not closed yet (open or acknowledged), if any. */
  findOpen(agentId: string, user: string, windowStart: number, tx: Tx): Promise<AlertEntity | null> {
    return entityManager(this.db, tx)
      .getRepository(AlertEntity)
      .findOne({ where: { agentId, user, windowStart, status: In(NOT_CLOSED) } });
  }

  /** Applies a triage change and raises the revision, only if the row is still at `revision`; false otherwise. */
  async updateTriage(id: string, revision: number, changes: Partial<AlertTriageFields>, tx: Tx): Promise<boolean> {
    const result = await entityManager(this.db, tx)
      .getRepository(AlertEntity)
      .update({ id, revision }, { ...changes, revision: revision + 1 });
    return result.affected === 1;
  }

  /** Newest first, at most `limit`: served by idx_alert_user_created or idx_alert_agent_created. */
  near(around: AlertNeighbourhood, limit: number): Promise<AlertEntity[]> {
    return this.db.getRepository(AlertEntity).find({
      where: {
        ...(around.agentId === undefined ? {} : { agentId: around.agentId }),
        ...(around.user === undefined ? {} : { user: around.user }),
        createdAt: Between(around.fromMs, around.toMs),
      },
      order: { createdAt: 'DESC', id: 'DESC' },
      take: limit,
    });
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

  /** When the last ended episode of this kind for this agent ended (its window end); null when none has. */
  async lastEpisodeEnd(kind: AlertKind, agentId: string): Promise<number | null> {
    const last = await this.db.getRepository(AlertEntity).findOne({
      where: { kind, agentId, windowEnd: Not(IsNull()) },
      order: { windowEnd: 'DESC' },
      select: { id: true, windowEnd: true },
    });
    return last?.windowEnd ?? null;
  }

  async update(id: string, changes: Partial<Omit<AlertEntity, 'id'>>, tx: Tx): Promise<void> {
    await entityManager(this.db, tx).getRepository(AlertEntity).update({ id }, changes);
  }

  /** Newest first, after `after` when given; `limit + 1` rows at most so the caller sees whether more follow. */
  page(limit: number, after?: AlertKey, status?: AlertStatus): Promise<AlertEntity[]> {
    const qb = this.db.getRepository(AlertEntity).createQueryBuilder('a');
    if (status) qb.andWhere('a.status = :status', { status });
    if (after) qb.andWhere('(a.createdAt < :t OR (a.createdAt = :t AND a.id < :id))', { t: after[0], id: after[1] });
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
