// Which policy each agent gets and whether it complies. The version is the one the staged
// rollout gives the agent (rollout/: canaries first); the tier is the one an admin pinned,
// else the higher of the workstation's own threat-driven tier and its unit's
// (threat-tiers/), else the policy's first. Delivery: after each Hello (when the revision
// the agent applied is not the one assigned), after a pin, a tier change, a new version or
// a rollout's step, to the agents connected here; each change of what an agent should
// hold raises its revision, so the agent can refuse every older one (a replay).
// Deliveries to one agent are serialised, so two never compute the same revision.
import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { PolicyCompliance } from '@wardwatch/proto';
import type { AgentPolicyView, PolicyTier, PolicyView, TierSource } from '@wardwatch/shared';
import { AgentSessionsRegistry } from '../agents/agent-sessions.registry';
import { AgentService } from '../agents/agent.service';
import { AuditService } from '../audit/audit.service';
import { AgentSigner } from '../commands/agent-signer';
import { Clock } from '../common/clock';
import { TransactionRunner } from '../database/transaction.runner';
import { JsonLogger } from '../logging/json-logger';
import type { AgentPolicyEntity } from './agent-policy.entity';
import { AgentPolicyRepository, freshAgentPolicy } from './agent-policy.repository';
import { complianceStatus } from './compliance-status';
import { readComplianceReport } from './compliance-report.schema';
import { signPolicy } from './policy-delivery';
import { PolicyError } from './policy.errors';
import { PolicyService } from './policy.service';
import { PolicyRolloutService } from './rollout/policy-rollout.service';
import { tierForLevel } from './threat-tiers/tier-levels';
import type { UnitTierEntity } from './threat-tiers/unit-tier.entity';
import { UnitTierRepository } from './threat-tiers/unit-tier.repository';

export const MAX_AGENTS_LISTED = 5_000;

/** What an agent should hold now: a policy version and one of its tiers, and why that tier. */
interface Assignment {
  policy: PolicyView;
  tier: PolicyTier;
  source: TierSource;
}

/** The pin when the version has that tier, else the higher of the workstation's and its unit's level. */
function tierOf(policy: PolicyView, row: AgentPolicyEntity | null, unit: UnitTierEntity | null): Assignment {
  const pinned = row?.pinnedTier ? policy.document.tiers.find((t) => t.id === row.pinnedTier) : undefined;
  if (pinned) return { policy, tier: pinned, source: 'pin' };
  const own = row?.threatLevel ?? 0;
  const ofUnit = unit?.level ?? 0;
  const level = Math.max(own, ofUnit);
  const source: TierSource = level === 0 ? 'default' : own >= ofUnit ? 'threat' : 'unit';
  return { policy, tier: tierForLevel(policy.document, level), source };
}

@Injectable()
export class AgentPolicyService implements OnModuleInit {
  private readonly log: JsonLogger;
  private readonly chains = new Map<string, Promise<unknown>>();

  constructor(
    private readonly policies: PolicyService,
    private readonly repo: AgentPolicyRepository,
    private readonly units: UnitTierRepository,
    private readonly rollouts: PolicyRolloutService,
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
    const deliverAll = () => {
      void this.deliverToConnected().catch((error: unknown) => this.log.error('policy delivery failed', { error }));
    };
    this.policies.onCreated(deliverAll);
    this.rollouts.onChanged(deliverAll);
  }

  async view(agentId: string): Promise<AgentPolicyView> {
    const agent = await this.agents.find(agentId);
    if (!agent) throw new PolicyError('not_found', 'no such agent');
    const row = await this.repo.find(agentId);
    const unit = agent.unit ? await this.units.find(agent.unit) : null;
    return this.toView(agentId, row, unit, await this.assignment(agentId, row, unit));
  }

  async list(): Promise<AgentPolicyView[]> {
    const agents = (await this.agents.list()).slice(0, MAX_AGENTS_LISTED);
    const rows = new Map((await this.repo.list(MAX_AGENTS_LISTED)).map((r) => [r.agentId, r]));
    const units = new Map((await this.units.list()).map((u) => [u.unit, u]));
    const latest = await this.policies.current();
    const versionOf = await this.rollouts.versionsOf(latest.version);
    const documents = new Map<number, PolicyView>([[latest.version, latest]]);
    const views: AgentPolicyView[] = [];
    for (const a of agents) {
      const row = rows.get(a.id) ?? null;
      const unit = a.unit ? (units.get(a.unit) ?? null) : null;
      const version = versionOf(a.id);
      let policy = documents.get(version);
      if (!policy) documents.set(version, (policy = await this.policies.get(version)));
      views.push(this.toView(a.id, row, unit, tierOf(policy, row, unit)));
    }
    return views;
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
        const row = (await this.repo.find(agentId, tx)) ?? freshAgentPolicy(agentId);
        await this.repo.update(agentId, { pinnedTier: tier }, tx);
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

  /** Marks the agent as a canary of later rollouts (or not), audited. */
  async setCanary(agentId: string, canary: boolean, actor: string): Promise<AgentPolicyView> {
    const agent = await this.agents.find(agentId);
    if (!agent) throw new PolicyError('not_found', 'no such agent');
    await this.transactions.run(async (tx) => {
      await this.repo.update(agentId, { canary }, tx);
      await this.audit.append({ actor, action: 'policy.canary', target: agentId, details: { canary } }, tx);
    });
    return this.view(agentId);
  }

  /** After Hello: sends the assigned policy when the agent holds another revision. */
  hello(agentId: string, appliedRevision: number, keyIds: readonly string[]): Promise<boolean> {
    return this.deliver(agentId, appliedRevision, keyIds);
  }

  /** After a tier change: sends the assigned policy when it changed and the agent is connected. */
  redeliver(agentId: string): Promise<boolean> {
    return this.deliver(agentId);
  }

  /** Stores the agent's report when within bounds, then lets the rollout progress; false (not stored) otherwise. */
  async recordCompliance(agentId: string, input: PolicyCompliance): Promise<{ stored: boolean; reason?: string }> {
    const read = readComplianceReport(input);
    if (!read.ok) return { stored: false, reason: read.reason };
    await this.serialised(agentId, () =>
      this.repo.update(agentId, { compliance: read.report, complianceAt: this.clock.now() }),
    );
    void this.rollouts.progress().catch((error: unknown) => this.log.error('rollout check failed', { error }));
    return { stored: true };
  }

  async deliverToConnected(): Promise<number> {
    let sent = 0;
    for (const agentId of this.sessions.agentIds()) if (await this.deliver(agentId)) sent += 1;
    return sent;
  }

  /** The version (rollout) and tier (pin, else the higher threat level of workstation and unit). */
  private async assignment(
    agentId: string,
    row: AgentPolicyEntity | null,
    unit: UnitTierEntity | null,
  ): Promise<Assignment> {
    const latest = await this.policies.current();
    const version = await this.rollouts.versionFor(agentId, latest.version);
    return tierOf(version === latest.version ? latest : await this.policies.get(version), row, unit);
  }

  /**
   * Sends the assigned policy down the agent's stream when it changed since the last
   * delivery, or when the agent says (appliedRevision) it holds another revision.
   */
  private deliver(agentId: string, appliedRevision?: number, keyIds?: readonly string[]): Promise<boolean> {
    return this.serialised(agentId, async () => {
      if (this.sessions.count(agentId) === 0) return false;
      const found = await this.repo.find(agentId);
      const row = found ?? freshAgentPolicy(agentId);
      const agent = await this.agents.find(agentId);
      const unit = agent?.unit ? await this.units.find(agent.unit) : null;
      const { policy, tier } = await this.assignment(agentId, found, unit);
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
      await this.repo.update(agentId, { revision, policyVersion: policy.version, tier: tier.id, sentAt: now });
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

  private toView(
    agentId: string,
    row: AgentPolicyEntity | null,
    unit: UnitTierEntity | null,
    { policy, tier, source }: Assignment,
  ): AgentPolicyView {
    const compliance = row?.compliance ?? null;
    const assignedRevision =
      row && row.policyVersion === policy.version && row.tier === tier.id ? row.revision : (row?.revision ?? 0) + 1;
    const { status, problems } = complianceStatus(assignedRevision, compliance);
    return {
      agentId,
      pinnedTier: row?.pinnedTier ?? null,
      tier: tier.id,
      tierSource: source,
      threat: {
        level: row?.threatLevel ?? 0,
        tier: tierForLevel(policy.document, row?.threatLevel ?? 0).id,
        cause: row?.threatCause ?? null,
        changedAt: row?.threatChangedAt ?? null,
      },
      unitTier: unit
        ? {
            level: unit.level,
            tier: tierForLevel(policy.document, unit.level).id,
            cause: unit.cause,
            changedAt: unit.changedAt,
          }
        : null,
      canary: row?.canary ?? false,
      policyVersion: policy.version,
      revision: row?.revision ?? 0,
      status,
      problems,
      compliance,
      complianceAt: row?.complianceAt ?? null,
    };
  }
}
