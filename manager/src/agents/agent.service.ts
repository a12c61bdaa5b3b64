// The agent register: who is enrolled, online, revoked; what each last reported.
import { Injectable } from '@nestjs/common';
import type { Heartbeat } from '@wardwatch/proto';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { TransactionRunner, type Tx } from '../database/transaction.runner';
import { AgentSessionsRegistry } from './agent-sessions.registry';
import type { AgentEntity } from './agent.entity';
import { AgentError } from './agent.errors';
import { readHeartbeatHealth } from './agent-health.schema';
import { AgentRepository, type AgentChanges, type CertificateChange } from './agent.repository';

/** What an admin may change on an agent (validated by UpdateAgentRequest at the edge). */
export interface WorkstationLabels {
  tags?: string[];
  /** null clears it. */
  unit?: string | null;
}

export interface HostReport {
  hostname: string;
  os: string;
  osVersion: string;
  agentVersion: string;
}

const PAGE_LIMIT = 500;
/** A replaced session is audited at most once per agent in this time (each one is counted). */
const SECOND_SESSION_AUDIT_MS = 60_000;

/** What a Hello's host report did: `mismatch` when it claimed a host name or OS other than the enrolled ones. */
export interface HelloOutcome {
  mismatch: boolean;
}

/** Host names ignore case and a trailing dot. */
const sameHost = (a: string, b: string) =>
  a.trim().replace(/\.$/, '').toLowerCase() === b.trim().replace(/\.$/, '').toLowerCase();

@Injectable()
export class AgentService {
  constructor(
    private readonly repo: AgentRepository,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly sessions: AgentSessionsRegistry,
  ) {}

  private readonly secondSessionAudited = new Map<string, number>();

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

  /** Enrolled, not revoked agents whose heartbeat said how their parts are (blind-agents/ reads it). */
  withHealth(limit: number): Promise<AgentEntity[]> {
    return this.repo.withHealth(limit);
  }

  /** Enrolled, not revoked agents last heard from before `cutoffMs` (never-seen ones excluded). */
  silentSince(cutoffMs: number, limit: number): Promise<AgentEntity[]> {
    return this.repo.lastSeenBefore(cutoffMs, limit);
  }

  /**
   * A Hello: the agent is online. Its host name and OS were fixed at enrollment: a
   * Hello claiming others is never applied (no agent renames itself, nor forges events
   * under another workstation's name); the claim is kept on the agent row for admins and
   * audited (`agent.identity_mismatch`) once per distinct claim. OS and agent versions
   * change with upgrades and are taken.
   */
  async markOnline(id: string, host: HostReport | undefined): Promise<HelloOutcome> {
    const now = this.clock.now();
    const changes: AgentChanges = { status: 'online', lastSeenAt: now };
    if (host?.osVersion) changes.osVersion = host.osVersion;
    if (host?.agentVersion) changes.version = host.agentVersion;
    // A revoked agent stays revoked, whatever it says.
    await this.repo.updateIfStatus(id, ['online', 'offline'], changes);
    const agent = await this.repo.findById(id);
    if (!agent || !host) return { mismatch: false };
    const claimedHostname = host.hostname && !sameHost(host.hostname, agent.hostname) ? host.hostname : null;
    const claimedOs = host.os && host.os !== agent.os ? host.os : null;
    if (claimedHostname === null && claimedOs === null) return { mismatch: false };
    if (claimedHostname === (agent.claimedHostname ?? null) && claimedOs === (agent.claimedOs ?? null))
      return { mismatch: true }; // this claim is already on record
    await this.transactions.run(async (tx) => {
      await this.repo.update(
        id,
        { claimedHostname, claimedOs, identityMismatchAt: agent.identityMismatchAt ?? now },
        tx,
      );
      await this.audit.append(
        {
          actor: `agent:${id}`,
          action: 'agent.identity_mismatch',
          target: id,
          details: {
            enrolled: { hostname: agent.hostname, os: agent.os },
            claimed: { hostname: host.hostname, os: host.os },
          },
        },
        tx,
      );
    });
    return { mismatch: true };
  }

  async touch(id: string): Promise<void> {
    await this.repo.update(id, { lastSeenAt: this.clock.now() });
  }

  /**
   * A heartbeat: the agent was seen; its stats, drops and components are kept when
   * within bounds (agent-health.schema.ts), else left as they were and the reason returned.
   */
  async recordHeartbeat(
    id: string,
    heartbeat: Heartbeat,
  ): Promise<{ stored: true } | { stored: false; reason: string }> {
    const now = this.clock.now();
    const read = readHeartbeatHealth(heartbeat);
    if (!read.ok) {
      await this.repo.update(id, { lastSeenAt: now });
      return { stored: false, reason: read.reason };
    }
    const { stats, droppedByReason, components, reads } = read.health;
    await this.repo.update(id, { lastSeenAt: now, heartbeatAt: now, stats, droppedByReason, components, reads });
    return { stored: true };
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

  /**
   * An admin sets the workstation's tags and unit (playbooks match on them); audited as
   * `agent.update` with the values before and after, in the same transaction.
   */
  async updateLabels(id: string, changes: WorkstationLabels, actor: string): Promise<AgentEntity> {
    const agent = await this.get(id);
    const before = { tags: agent.tags ?? [], unit: agent.unit ?? null };
    const after = { tags: changes.tags ?? before.tags, unit: changes.unit === undefined ? before.unit : changes.unit };
    await this.transactions.run(async (tx) => {
      await this.repo.update(id, after, tx);
      await this.audit.append({ actor, action: 'agent.update', target: id, details: { before, after } }, tx);
    });
    return this.get(id);
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

  /**
   * A second stream for an agent that already had one replaced it; audited as
   * `agent.session_replaced`, at most once a minute per agent so two holders of one
   * certificate taking turns cannot flood the audit log. True when audited.
   */
  async recordSecondSession(id: string, peer: string): Promise<boolean> {
    const now = this.clock.now();
    const last = this.secondSessionAudited.get(id);
    if (last !== undefined && now - last < SECOND_SESSION_AUDIT_MS) return false;
    this.secondSessionAudited.set(id, now);
    await this.audit.append({
      actor: `agent:${id}`,
      action: 'agent.session_replaced',
      target: id,
      details: { reason: 'a newer session of this agent replaced the open one', peer: peer.slice(0, 128) },
    });
    return true;
  }

  /**
   * Records a renewed certificate inside the renewal's transaction, unless the agent was
   * revoked or renewed after `renewedNoLaterThan` meanwhile. True when recorded.
   */
  replaceCertificate(id: string, renewedNoLaterThan: number, cert: CertificateChange, tx: Tx): Promise<boolean> {
    return this.repo.replaceCertificate(id, renewedNoLaterThan, cert, tx);
  }

  /** Registers a newly enrolled agent inside the enrollment's transaction. */
  async register(agent: AgentEntity, tx: Tx): Promise<void> {
    await this.repo.insert(agent, tx);
  }
}
