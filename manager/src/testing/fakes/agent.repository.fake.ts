// In-memory AgentRepository and EnrollmentTokenRepository for unit tests.
import type { AgentEntity, AgentStatus } from '../../agents/agent.entity';
import type { AgentChanges, AgentRepository, CertificateChange } from '../../agents/agent.repository';
import type { EnrollmentTokenEntity } from '../../enrollment/enrollment-token.entity';
import type { EnrollmentTokenRepository } from '../../enrollment/enrollment-token.repository';
import { InMemoryTable, type Public } from './fakes';

export class InMemoryAgentRepository extends InMemoryTable<AgentEntity> implements Public<AgentRepository> {
  list(limit: number): Promise<AgentEntity[]> {
    return Promise.resolve(this.rows.slice(0, limit).map((a) => ({ ...a })));
  }
  lastSeenBefore(cutoffMs: number, limit: number): Promise<AgentEntity[]> {
    const silent = this.rows.filter((a) => a.status !== 'revoked' && a.lastSeenAt !== null && a.lastSeenAt < cutoffMs);
    silent.sort((a, b) => a.lastSeenAt! - b.lastSeenAt! || (a.id < b.id ? -1 : 1));
    return Promise.resolve(silent.slice(0, limit).map((a) => ({ ...a })));
  }
  withHealth(limit: number): Promise<AgentEntity[]> {
    const known = this.rows.filter(
      (a) => a.status !== 'revoked' && a.heartbeatAt !== null && a.heartbeatAt !== undefined,
    );
    known.sort((a, b) => a.enrolledAt - b.enrolledAt || (a.id < b.id ? -1 : 1));
    return Promise.resolve(known.slice(0, limit).map((a) => ({ ...a })));
  }
  findById(id: string): Promise<AgentEntity | null> {
    const agent = this.rows.find((a) => a.id === id);
    return Promise.resolve(agent ? { ...agent } : null);
  }
  insert(agent: AgentEntity): Promise<void> {
    if (this.rows.some((a) => a.id === agent.id)) return Promise.reject(new Error('duplicate key'));
    this.rows.push({ ...agent });
    return Promise.resolve();
  }
  update(id: string, changes: AgentChanges): Promise<void> {
    return this.apply((a) => a.id === id, changes);
  }
  updateIfStatus(id: string, statuses: AgentStatus[], changes: AgentChanges): Promise<void> {
    return this.apply((a) => a.id === id && statuses.includes(a.status), changes);
  }
  updateAllWithStatus(statuses: AgentStatus[], changes: AgentChanges, exceptIds: string[] = []): Promise<void> {
    return this.apply((a) => statuses.includes(a.status) && !exceptIds.includes(a.id), changes);
  }
  replaceCertificate(id: string, renewedNoLaterThan: number, cert: CertificateChange): Promise<boolean> {
    const agent = this.rows.find(
      (a) =>
        a.id === id &&
        a.status !== 'revoked' &&
        (a.certRenewedAt === null || a.certRenewedAt === undefined || a.certRenewedAt <= renewedNoLaterThan),
    );
    if (agent) Object.assign(agent, cert);
    return Promise.resolve(agent !== undefined);
  }
  private apply(match: (agent: AgentEntity) => boolean, changes: AgentChanges): Promise<void> {
    for (const agent of this.rows) if (match(agent)) Object.assign(agent, changes);
    return Promise.resolve();
  }
}

export class InMemoryEnrollmentTokenRepository
  extends InMemoryTable<EnrollmentTokenEntity>
  implements Public<EnrollmentTokenRepository>
{
  insert(token: EnrollmentTokenEntity): Promise<void> {
    this.rows.push({ ...token });
    return Promise.resolve();
  }
  findByHash(tokenHash: string): Promise<EnrollmentTokenEntity | null> {
    const row = this.rows.find((t) => t.tokenHash === tokenHash);
    return Promise.resolve(row ? { ...row } : null);
  }
  markUsed(tokenHash: string, now: number, agentId: string): Promise<boolean> {
    const row = this.rows.find(
      (t) => t.tokenHash === tokenHash && t.usedAt === null && !t.revokedAt && t.expiresAt > now,
    );
    if (!row) return Promise.resolve(false);
    row.usedAt = now;
    row.usedByAgent = agentId;
    return Promise.resolve(true);
  }
  listNewest(): Promise<EnrollmentTokenEntity[]> {
    return Promise.resolve([...this.rows].sort((a, b) => b.createdAt - a.createdAt).map((row) => ({ ...row })));
  }
  markRevoked(tokenHash: string, now: number): Promise<boolean> {
    const row = this.rows.find((t) => t.tokenHash === tokenHash && t.usedAt === null && !t.revokedAt);
    if (!row) return Promise.resolve(false);
    row.revokedAt = now;
    return Promise.resolve(true);
  }
}
