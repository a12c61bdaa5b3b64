// Which policy each agent gets and whether it complies. The tier assigned to an agent is
// the one an admin pinned, else the policy's first (lowest) tier. Delivery: after each
// Hello (when the revision the agent applied is not the one assigned), after a pin and
// after a new policy version, to the agents connected here; each change of what an agent
// should hold raises its revision, so the agent can refuse every older one (a replay).
// Deliveries to one agent are serialised, so two never compute the same revision.
import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { PolicyCompliance } from '@wardwatch/proto';
import type { AgentPolicyView, PolicyTier, PolicyView } from '@wardwatch/shared';
import { AgentSessionsRegistry } from '../agents/agent-sessions.registry';
import { AgentService } from '../agents/agent.service';
import { AuditService } from '../audit/audit.service';
import { AgentSigner } from '../commands/agent-signer';
import { Clock } from '../common/clock';
import { TransactionRunner } from '../database/transaction.runner';
import { JsonLogger } from '../logging/json-logger';
import type { AgentPolicyEntity } from './agent-policy.entity';
import { AgentPolicyRepository } from './agent-policy.repository';
import { complianceStatus } from './compliance-status';
import { readComplianceReport } from './compliance-report.schema';
import { signPolicy } from './policy-delivery';
import { PolicyError } from './policy.errors';
import { PolicyService } from './policy.service';

export const MAX_AGENTS_LISTED = 5_000;

@Injectable()
export class AgentPolicyService implements OnModuleInit {
  private readonly log: JsonLogger;
  private readonly chains = new Map<string, Promise<unknown>>();

  constructor(
    private readonly policies: PolicyService,
    private readonly repo: AgentPolicyRepository,
    private readonly agents: AgentService,
    private readonly signer: AgentSigner,
    private readonly sessions: AgentSessionsRegistry,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    logger: JsonLogger,
  ) {
    this.log = logger.child('policies');
  }

  onModuleInit(): void {
    this.policies.onCreated(() => {
      void this.deliverToConnected().catch((error: unknown) => this.log.error('policy delivery failed', { error }));
    });
  }

  async view(agentId: string): Promise<AgentPolicyView> {
    const agent = await this.agents.find(agentId);
    if (!agent) throw new PolicyError('not_found', 'no such agent');
    return toView(agentId, await this.repo.find(agentId), await this.policies.current());
  }

  async list(): Promise<AgentPolicyView[]> {
    const policy = await this.policies.current();
    const rows = new Map((await this.repo.list(MAX_AGENTS_LISTED)).map((r) => [r.agentId, r]));
    return (await this.agents.list())
      .slice(0, MAX_AGENTS_LISTED)
      .map((a) => toView(a.id, rows.get(a.id) ?? null, policy));
  }

  /** Pins the agent to a tier of the current policy (null: unpinned), audited, then delivers. */
  async pin(agentId: string, tier: string | null, actor: string): Promise<AgentPolicyView> {
    const agent = await this.agents.find(agentId);
    if (!agent) throw new PolicyError('not_found', 'no such agent');
    if (agent.status === 'revoked') throw new PolicyError('agent_revoked', 'this agent is revoked');
    const policy = await this.policies.current();
    if (tier !== null && !policy.document.tiers.some((t) => t.id === tier))
      throw new PolicyError('invalid', `tier: no tier "${tier}" in policy version ${policy.version}`);
    await this.serialised(agentId, () =>
      this.transactions.run(async (tx) => {
        const row = (await this.repo.find(agentId, tx)) ?? fresh(agentId);
        await this.repo.save({ ...row, pinnedTier: tier }, tx);
        await this.audit.append(
          {
            actor,
            action: 'policy.pin',
            target: agentId,
            details: { tier, previousTier: row.pinnedTier, cause: 'admin' },
          },
          tx,
        );
      }),
    );
    await this.deliver(agentId);
    return this.view(agentId);
  }

  /** After Hello: sends the assigned policy when the agent holds another revision. */
  hello(agentId: string, appliedRevision: number, keyIds: readonly string[]): Promise<boolean> {
    return this.deliver(agentId, appliedRevision, keyIds);
  }

  /** Stores the agent's report when within bounds; false (not stored) otherwise. */
  async recordCompliance(agentId: string, input: PolicyCompliance): Promise<{ stored: boolean; reason?: string }> {
    const read = readComplianceReport(input);
    if (!read.ok) return { stored: false, reason: read.reason };
    await this.serialised(agentId, async () => {
      const row = (await this.repo.find(agentId)) ?? fresh(agentId);
      await this.repo.save({ ...row, compliance: read.report, complianceAt: this.clock.now() });
    });
    return { stored: true };
  }

  async deliverToConnected(): Promise<number> {
    let sent = 0;
    for (const agentId of this.sessions.agentIds()) if (await this.deliver(agentId)) sent += 1;
    return sent;
  }

  /**
   * Sends the assigned policy down the agent's stream when it changed since the last
   * delivery, or when the agent says (appliedRevision) it holds another revision.
   */
  private deliver(agentId: string, appliedRevision?: number, keyIds?: readonly string[]): Promise<boolean> {
    return this.serialised(agentId, async () => {
      if (this.sessions.count(agentId) === 0) return false;
      const policy = await this.policies.current();
      const row = (await this.repo.find(agentId)) ?? fresh(agentId);
      const tier = assignedTier(policy, row.pinnedTier);
      const changed = row.revision === 0 || row.policyVersion !== policy.version || row.tier !== tier.id;
      const agentBehind = appliedRevision !== undefined && appliedRevision !== row.revision;
      if (!changed && !agentBehind) return false;
      const signer = await this.signer.forAgent(agentId, keyIds);
      if (!signer) {
        this.log.warn('agent has pinned none of our command keys; its policy waits', { agentId });
        return false;
      }
      // Above what the agent holds, even when the manager's own count is behind it (a restored database).
      const revision =
        changed || (appliedRevision ?? 0) > row.revision
          ? Math.max(row.revision, appliedRevision ?? 0) + 1
          : row.revision;
      const now = this.clock.now();
      const signed = signPolicy({ agentId, revision, policyVersion: policy.version, tier, issuedAtMs: now }, signer);
      await this.repo.save({ ...row, revision, policyVersion: policy.version, tier: tier.id, sentAt: now });
      const sent = this.sessions.send(agentId, { body: { $case: 'signedPolicy', value: signed } });
      this.log.info('policy sent', { agentId, revision, version: policy.version, tier: tier.id, sent });
      return sent;
    });
  }

  private serialised<T>(agentId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.chains.get(agentId) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(work);
    const settled = next.catch(() => undefined);
    this.chains.set(agentId, settled);
    void settled.then(() => {
      if (this.chains.get(agentId) === settled) this.chains.delete(agentId);
    });
    return next;
  }
}

function fresh(agentId: string): AgentPolicyEntity {
  return {
    agentId,
    pinnedTier: null,
    revision: 0,
    policyVersion: 0,
    tier: '',
    sentAt: null,
    compliance: null,
    complianceAt: null,
  };
}

/** The pinned tier when the policy still has it, else its first (lowest) tier. */
function assignedTier(policy: PolicyView, pinned: string | null): PolicyTier {
  return policy.document.tiers.find((t) => t.id === pinned) ?? policy.document.tiers[0];
}

function toView(agentId: string, row: AgentPolicyEntity | null, policy: PolicyView): AgentPolicyView {
  const tier = assignedTier(policy, row?.pinnedTier ?? null);
  const compliance = row?.compliance ?? null;
  const assignedRevision =
    row && row.policyVersion === policy.version && row.tier === tier.id ? row.revision : (row?.revision ?? 0) + 1;
  const { status, problems } = complianceStatus(assignedRevision, compliance);
  return {
    agentId,
    pinnedTier: row?.pinnedTier ?? null,
    tier: tier.id,
    policyVersion: policy.version,
    revision: row?.revision ?? 0,
    status,
    problems,
    compliance,
    complianceAt: row?.complianceAt ?? null,
  };
}
