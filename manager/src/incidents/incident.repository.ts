// Storage of incidents: one row per episode, written whole.
import { Injectable } from '@nestjs/common';
import type { IncidentKind, IncidentQuery } from '@wardwatch/shared';
import { DataSource, LessThan } from 'typeorm';
import { entityManager, type Tx } from '../database/transaction.runner';
import { IncidentEntity } from './incident.entity';

@Injectable()
export class IncidentRepository {
  constructor(private readonly db: DataSource) {}

  private repo(tx?: Tx) {
    return entityManager(this.db, tx).getRepository(IncidentEntity);
  }

  find(id: string, tx?: Tx): Promise<IncidentEntity | null> {
    return this.repo(tx).findOne({ where: { id } });
  }

  /** The open incident of this subject, if any (idx_incident_subject). */
  findOpen(kind: IncidentKind, subject: string, tx?: Tx): Promise<IncidentEntity | null> {
    return this.repo(tx).findOne({ where: { kind, subject, status: 'open' } });
  }

  async save(row: IncidentEntity, tx: Tx): Promise<void> {
    await this.repo(tx).save(row);
  }

  /** Closes the open incidents of this kind last written before `cutoffMs`; how many. */
  async closeQuiet(kind: IncidentKind, cutoffMs: number, tx: Tx): Promise<number> {
    const result = await this.repo(tx).update(
      { kind, status: 'open', updatedMs: LessThan(cutoffMs) },
      { status: 'closed' },
    );
    return result.affected ?? 0;
  }

  /** Newest activity first. */
  list(query: IncidentQuery): Promise<IncidentEntity[]> {
    return this.repo().find({
      where: { ...(query.status ? { status: query.status } : {}), ...(query.kind ? { kind: query.kind } : {}) },
      order: { updatedMs: 'DESC', id: 'ASC' },
      take: query.limit,
    });
  }
}
