// What happened around one alert or incident, from the tables that recorded it: the audit
// rows naming it (by the indexed target column), the approvals raised for it, and the
// commands sent for it. Read only, every list bounded.
import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { ApprovalEntity } from '../approvals/approval.entity';
import { AuditLogEntity } from '../audit/audit-log.entity';
import type { AuditRow } from '../audit/audit-chain';
import { CommandEntity } from '../commands/command.entity';

/** Approvals and commands one report lists at most. */
export const MAX_LINKED = 100;

@Injectable()
export class IncidentTimelineRepository {
  constructor(private readonly db: DataSource) {}

  /** Audit rows whose target is one of `targets`, oldest first, at most `limit`. */
  auditFor(targets: readonly string[], limit: number): Promise<AuditRow[]> {
    if (targets.length === 0) return Promise.resolve([]);
    return this.db
      .getRepository(AuditLogEntity)
      .createQueryBuilder('a')
      .where('a.target IN (:...targets)', { targets: [...targets] })
      .orderBy('a.seq', 'ASC')
      .take(limit)
      .getMany();
  }

  approvalsFor(alertId: string): Promise<ApprovalEntity[]> {
    return this.db
      .getRepository(ApprovalEntity)
      .find({ where: { alertId }, order: { createdAt: 'ASC' }, take: MAX_LINKED });
  }

  commands(ids: readonly string[]): Promise<CommandEntity[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.db
      .getRepository(CommandEntity)
      .find({ where: { id: In(ids.slice(0, MAX_LINKED)) }, order: { issuedAt: 'ASC' } });
  }
}
