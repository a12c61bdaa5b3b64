// The agent register: who is enrolled, online, revoked; what each last reported.
import { inTransaction } from '../database/transaction';
import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { DomainError } from '../common/errors';
import { AgentEntity } from '../database/entities';
import { AgentSessionsRegistry } from './agent-sessions.registry';

export interface HostReport {
  hostname: string;
  os: string;
  osVersion: string;
  agentVersion: string;
}

const PAGE_LIMIT = 500;

@Injectable()
export class AgentService {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly sessions: AgentSessionsRegistry,
  ) {}

  private get repo() {
    return this.db.getRepository(AgentEntity);
  }

  list(): Promise<AgentEntity[]> {
    return this.repo.find({ order: { hostname: 'ASC', id: 'ASC' }, take: PAGE_LIMIT });
  }

  async get(id: string): Promise<AgentEntity> {
    const agent = await this.repo.findOneBy({ id });
    if (!agent) throw new DomainError('not_found', 'no such agent');
    return agent;
  }

  find(id: string): Promise<AgentEntity | null> {
    return this.repo.findOneBy({ id });
  }

  async markOnline(id: string, host: HostReport | undefined): Promise<void> {
    const changes: Partial<AgentEntity> = { status: 'online', lastSeenAt: this.clock.now() };
    if (host?.hostname) changes.hostname = host.hostname;
    if (host?.os) changes.os = host.os;
    if (host?.osVersion) changes.osVersion = host.osVersion;
    if (host?.agentVersion) changes.version = host.agentVersion;
    // A revoked agent stays revoked, whatever it says.
    await this.repo.update({ id, status: In(['online', 'offline']) }, changes);
  }

  async touch(id: string, stats?: Record<string, number>): Promise<void> {
    const changes: Partial<AgentEntity> = { lastSeenAt: this.clock.now() };
    if (stats) changes.stats = stats;
    await this.repo.update({ id }, changes);
  }

  async markOffline(id: string): Promise<void> {
    if (this.sessions.count(id) > 0) return; // another stream of the same agent is still up
    await this.repo.update({ id, status: 'online' }, { status: 'offline' });
  }

  /** After a restart nobody is connected yet. */
  async markAllOffline(): Promise<void> {
    await this.repo.update({ status: 'online' }, { status: 'offline' });
  }

  async revoke(id: string, actor: string): Promise<AgentEntity> {
    await this.get(id);
    await inTransaction(this.db, async (tx) => {
      await tx.getRepository(AgentEntity).update({ id }, { status: 'revoked' });
      await this.audit.append({ actor, action: 'agent.revoke', target: id }, tx);
    });
    this.sessions.closeAll(id, 'agent revoked');
    return this.get(id);
  }
}
