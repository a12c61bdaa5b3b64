// Storage of the agent register. Status changes are conditional updates, so that a
// revoked agent stays revoked whatever its stream reports afterwards.
import { Injectable } from '@nestjs/common';
import { DataSource, In, IsNull, LessThan, LessThanOrEqual, Not } from 'typeorm';
import { entityManager, type Tx } from '../database/transaction.runner';
import { AgentEntity, type AgentStatus } from './agent.entity';

export type AgentChanges = Partial<
  Omit<AgentEntity, 'id' | 'certFingerprint' | 'enrolledAt' | 'previousCertFingerprint' | 'certRenewedAt'>
>;
export type CertificateChange = Required<
  Pick<AgentEntity, 'certFingerprint' | 'certificatePem' | 'previousCertFingerprint' | 'certRenewedAt'>
>;

@Injectable()
export class AgentRepository {
  constructor(private readonly db: DataSource) {}

  private repo(tx?: Tx) {
    return entityManager(this.db, tx).getRepository(AgentEntity);
  }

  list(limit: number): Promise<AgentEntity[]> {
    return this.repo().find({ order: { hostname: 'ASC', id: 'ASC' }, take: limit });
  }

  /** Agents not revoked, heard from at least once, and not since `cutoffMs`; longest silent first. */
  lastSeenBefore(cutoffMs: number, limit: number): Promise<AgentEntity[]> {
    return this.repo().find({
      where: { status: In(['online', 'offline']), lastSeenAt: LessThan(cutoffMs) },
      order: { lastSeenAt: 'ASC', id: 'ASC' },
      take: limit,
    });
  }

  /**
   * Agents not revoked whose heartbeat was stored at least once, the longest known first: only
   * what their health says (a fleet's certificates are not read every minute).
   */
  withHealth(limit: number): Promise<AgentEntity[]> {
    return this.repo().find({
      select: { id: true, hostname: true, status: true, enrolledAt: true, heartbeatAt: true, components: true },
      where: { status: In(['online', 'offline']), heartbeatAt: Not(IsNull()) },
      order: { enrolledAt: 'ASC', id: 'ASC' },
      take: limit,
    });
  }

  findById(id: string): Promise<AgentEntity | null> {
    return this.repo().findOneBy({ id });
  }

  async insert(agent: AgentEntity, tx?: Tx): Promise<void> {
    await this.repo(tx).insert(agent);
  }

  async update(id: string, changes: AgentChanges, tx?: Tx): Promise<void> {
    await this.repo(tx).update({ id }, changes);
  }

  /**
   * Records a renewed certificate, only while the agent is not revoked and did not renew
   * after `renewedNoLaterThan` (two renewals racing: one wins). True when recorded.
   */
  async replaceCertificate(id: string, renewedNoLaterThan: number, cert: CertificateChange, tx?: Tx): Promise<boolean> {
    const where = { id, status: Not('revoked' as const) };
    const result = await this.repo(tx).update(
      [
        { ...where, certRenewedAt: IsNull() },
        { ...where, certRenewedAt: LessThanOrEqual(renewedNoLaterThan) },
      ],
      cert,
    );
    return (result.affected ?? 0) > 0;
  }

  /** Applies the changes only while the agent's status is one of `statuses`. */
  async updateIfStatus(id: string, statuses: AgentStatus[], changes: AgentChanges): Promise<void> {
    await this.repo().update({ id, status: In(statuses) }, changes);
  }

  /** Applies the changes to every agent whose status is one of `statuses`. */
  async updateAllWithStatus(statuses: AgentStatus[], changes: AgentChanges, exceptIds: string[] = []): Promise<void> {
    await this.repo().update(
      { status: In(statuses), ...(exceptIds.length > 0 ? { id: Not(In(exceptIds)) } : {}) },
      changes,
    );
  }
}
