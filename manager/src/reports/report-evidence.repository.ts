// The counts a compliance report is built from. A report looks across the whole
// installation (accounts, second factors, the audit trail, workstations, commands), so
// this one repository reads other features' tables, read only and by counting: every
// query is a COUNT or a bounded list on an indexed column, never a scan into memory.
import { readAudit, type ReadAudit } from '@wardwatch/shared';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AgentEntity } from '../agents/agent.entity';
import { AlertEntity } from '../alerts/alert.entity';
import { AuditLogEntity } from '../audit/audit-log.entity';
import { SessionEntity } from '../auth/session.entity';
import { UserEntity } from '../auth/user.entity';
import { UserMfaEntity } from '../auth/mfa/mfa.entity';
import { CommandEntity } from '../commands/command.entity';
import { LocalActionEntity } from '../commands/local-action.entity';
import { ForwardDestinationEntity } from '../forwarding/forward-destination.entity';
import { WorkstationKekEntity } from '../keys/workstation-kek.entity';
import { AgentPolicyEntity } from '../policies/agent-policy.entity';
import type { PolicyComplianceReport } from '@wardwatch/shared';

export interface Period {
  fromMs: number;
  toMs: number;
}

export interface AccountRow {
  username: string;
  role: string;
  disabled: boolean;
  mustChangePassword: boolean;
  hasMfa: boolean;
}

export interface WorkstationCompliance {
  agentId: string;
  hostname: string;
  assignedRevision: number;
  report: PolicyComplianceReport | null;
  /** Whether it audits patient-file reads, by its last heartbeat's components. */
  reads: ReadAudit;
}

/** Workstations a report reads the compliance of, at most. */
export const MAX_WORKSTATIONS_READ = 5_000;
/** Accounts a report lists, at most. */
export const MAX_ACCOUNTS_READ = 2_000;

@Injectable()
export class ReportEvidenceRepository {
  constructor(private readonly db: DataSource) {}

  /** Every account with whether it has a confirmed second factor. */
  async accounts(): Promise<AccountRow[]> {
    const users = await this.db
      .getRepository(UserEntity)
      .createQueryBuilder('u')
      .orderBy('u.username', 'ASC')
      .take(MAX_ACCOUNTS_READ)
      .getMany();
    const confirmed = await this.db
      .getRepository(UserMfaEntity)
      .createQueryBuilder('m')
      .select('m.userId', 'userId')
      .where('m.confirmedAt IS NOT NULL')
      .getRawMany<{ userId: string }>();
    const withMfa = new Set(confirmed.map((row) => row.userId));
    return users.map((u) => ({
      username: u.username,
      role: u.role,
      disabled: u.disabledAt !== null,
      mustChangePassword: u.mustChangePassword,
      hasMfa: withMfa.has(u.id),
    }));
  }

  /** Audit rows of each of these actions within the period (an action never seen is 0). */
  async auditActionCounts(actions: readonly string[], period: Period): Promise<Record<string, number>> {
    const rows = await this.db
      .getRepository(AuditLogEntity)
      .createQueryBuilder('a')
      .select('a.action', 'action')
      .addSelect('COUNT(*)', 'n')
      .where('a.action IN (:...actions)', { actions: [...actions] })
      .andWhere('a.timeMs >= :fromMs AND a.timeMs <= :toMs', period)
      .groupBy('a.action')
      .getRawMany<{ action: string; n: string | number }>();
    const counts = Object.fromEntries(actions.map((action) => [action, 0]));
    for (const row of rows) counts[row.action] = Number(row.n);
    return counts;
  }

  async auditRows(period?: Period): Promise<number> {
    const qb = this.db.getRepository(AuditLogEntity).createQueryBuilder('a');
    if (period) qb.where('a.timeMs >= :fromMs AND a.timeMs <= :toMs', period);
    return qb.getCount();
  }

  /** Local actions (break-glass, maintenance, …) reported by agents within the period, by kind. */
  async localActionCounts(period: Period): Promise<Record<string, number>> {
    const rows = await this.db
      .getRepository(LocalActionEntity)
      .createQueryBuilder('l')
      .select('l.kind', 'kind')
      .addSelect('COUNT(*)', 'n')
      .where('l.timeMs >= :fromMs AND l.timeMs <= :toMs', period)
      .groupBy('l.kind')
      .getRawMany<{ kind: string; n: string | number }>();
    return Object.fromEntries(rows.map((row) => [row.kind, Number(row.n)]));
  }

  /** Sessions not yet ended (their idle and absolute ends are checked at each request). */
  activeSessions(now: number, idleTimeoutMs: number): Promise<number> {
    return this.db
      .getRepository(SessionEntity)
      .createQueryBuilder('s')
      .where('s.expiresAt > :now', { now })
      .andWhere('COALESCE(s.lastSeenAt, s.createdAt) > :idleSince', { idleSince: now - idleTimeoutMs })
      .getCount();
  }

  /** Workstations by register status. */
  async agentStatusCounts(): Promise<Record<string, number>> {
    const rows = await this.db
      .getRepository(AgentEntity)
      .createQueryBuilder('a')
      .select('a.status', 'status')
      .addSelect('COUNT(*)', 'n')
      .groupBy('a.status')
      .getRawMany<{ status: string; n: string | number }>();
    return Object.fromEntries(rows.map((row) => [row.status, Number(row.n)]));
  }

  /** Each enrolled (not revoked) workstation with the policy revision assigned to it and its last compliance report. */
  async workstationCompliance(): Promise<WorkstationCompliance[]> {
    const agents = await this.db
      .getRepository(AgentEntity)
      .createQueryBuilder('a')
      .where("a.status <> 'revoked'")
      .orderBy('a.id', 'ASC')
      .take(MAX_WORKSTATIONS_READ)
      .getMany();
    const policies = await this.db.getRepository(AgentPolicyEntity).find({ take: MAX_WORKSTATIONS_READ });
    const byAgent = new Map(policies.map((row) => [row.agentId, row]));
    return agents.map((agent) => ({
      agentId: agent.id,
      hostname: agent.hostname,
      assignedRevision: byAgent.get(agent.id)?.revision ?? 0,
      report: byAgent.get(agent.id)?.compliance ?? null,
      reads: readAudit(agent.heartbeatAt ? (agent.components ?? []) : null),
    }));
  }

  /** Workstations holding a key-encryption key that is not revoked. */
  async workstationsWithKek(): Promise<number> {
    const [row] = await this.db
      .getRepository(WorkstationKekEntity)
      .createQueryBuilder('k')
      .select('COUNT(DISTINCT k.agentId)', 'n')
      .where('k.revokedAt IS NULL')
      .getRawMany<{ n: string | number }>();
    return Number(row?.n ?? 0);
  }

  /** Commands issued within the period, by state. */
  async commandStateCounts(period: Period): Promise<Record<string, number>> {
    const rows = await this.db
      .getRepository(CommandEntity)
      .createQueryBuilder('c')
      .select('c.state', 'state')
      .addSelect('COUNT(*)', 'n')
      .where('c.issuedAt >= :fromMs AND c.issuedAt <= :toMs', period)
      .groupBy('c.state')
      .getRawMany<{ state: string; n: string | number }>();
    return Object.fromEntries(rows.map((row) => [row.state, Number(row.n)]));
  }

  /** Alerts raised within the period, by kind. */
  async alertKindCounts(period: Period): Promise<Record<string, number>> {
    const rows = await this.db
      .getRepository(AlertEntity)
      .createQueryBuilder('a')
      .select('a.kind', 'kind')
      .addSelect('COUNT(*)', 'n')
      .where('a.createdAt >= :fromMs AND a.createdAt <= :toMs', period)
      .groupBy('a.kind')
      .getRawMany<{ kind: string; n: string | number }>();
    return Object.fromEntries(rows.map((row) => [row.kind, Number(row.n)]));
  }

  /** Forwarding destinations switched on (syslog over TLS or signed webhooks). */
  enabledForwardDestinations(): Promise<number> {
    return this.db.getRepository(ForwardDestinationEntity).count({ where: { enabled: true } });
  }

  /** Alerts raised within the period, newest first, at most `limit` (idx_alert_created_overview). */
  alertsBetween(period: Period, limit: number): Promise<AlertEntity[]> {
    return this.db
      .getRepository(AlertEntity)
      .createQueryBuilder('a')
      .where('a.createdAt >= :fromMs AND a.createdAt <= :toMs', period)
      .orderBy('a.createdAt', 'DESC')
      .addOrderBy('a.id', 'DESC')
      .take(limit)
      .getMany();
  }
}
