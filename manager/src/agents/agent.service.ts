// The agent register: who is enrolled, online, revoked; what each last reported.
import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { TransactionRunner, type Tx } from '../database/transaction.runner';
import { AgentSessionsRegistry } from './agent-sessions.registry';
import type { AgentEntity } from './agent.entity';
import { AgentError } from './agent.errors';
import { AgentRepository, type AgentChanges } from './agent.repository';

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
    private readonly repo: AgentRepository,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly sessions: AgentSessionsRegistry,
  ) {}

  list(): Promise<AgentEntity[]> {
    return this.repo.list(PAGE_LIMIT);
  }

  async get(id: string): Promise<AgentEntity> {
    const agent = await this.repo.findById(id);
    if (!agent) throw new AgentError('not_found', 'no such agent');
    return agent;
  }

  find(id: string): Promise<AgentEntity | null> {
    return this.repo.findById(id);
  }

  async markOnline(id: string, host: HostReport | undefined): Promise<void> {
    const changes: AgentChanges = { status: 'online', lastSeenAt: this.clock.now() };
    if (host?.hostname) changes.hostname = host.hostname;
    if (host?.os) changes.os = host.os;
    if (host?.osVersion) changes.osVersion = host.osVersion;
    if (host?.agentVersion) changes.version = host.agentVersion;
    // A revoked agent stays revoked, whatever it says.
    await this.repo.updateIfStatus(id, ['online', 'offline'], changes);
  }

  async touch(id: string, stats?: Record<string, number>): Promise<void> {
    const changes: AgentChanges = { lastSeenAt: this.clock.now() };
    if (stats) changes.stats = stats;
    await this.repo.update(id, changes);
  }

  async markOffline(id: string): Promise<void> {
    if (this.sessions.count(id) > 0) return; // another stream of the same agent is still up
    await this.repo.updateIfStatus(id, ['online'], { status: 'offline' });
  }

  /**
   * At start, once both ports are ours: agents marked online by an earlier run are not
   * connected any more. Those whose stream this manager already holds stay online.
   */
  async markAllOffline(): Promise<void> {
    await this.repo.updateAllWithStatus(['online'], { status: 'offline' }, this.sessions.agentIds());
  }

  async revoke(id: string, actor: string): Promise<AgentEntity> {
    await this.get(id);
    await this.transactions.run(async (tx) => {
      await this.repo.update(id, { status: 'revoked' }, tx);
      await this.audit.append({ actor, action: 'agent.revoke', target: id }, tx);
    });
    this.sessions.closeAll(id, 'agent revoked');
    return this.get(id);
  }

  /** Registers a newly enrolled agent inside the enrollment's transaction. */
  async register(agent: AgentEntity, tx: Tx): Promise<void> {
    await this.repo.insert(agent, tx);
  }
}
