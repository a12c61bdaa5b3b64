// The protection policy as versioned data: read versions, save the next one (validated
// by the shared schema at the edge; here: the edit must start from the current version,
// and no tier that workstations are pinned to may disappear), and the default seeded on
// the first start. Every new version is written with its audit row (`policy.create`)
// in one transaction together with its staged rollout (rollout/: canaries first), then
// announced (onCreated) so it is delivered to the agents that should hold it.
import { Injectable } from '@nestjs/common';
import { DEFAULT_POLICY, type PolicyCreateRequest, type PolicyDocument, type PolicyView } from '@wardwatch/shared';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { TransactionRunner, type Tx } from '../database/transaction.runner';
import { AgentPolicyRepository } from './agent-policy.repository';
import type { PolicyVersionEntity } from './policy-version.entity';
import { PolicyError } from './policy.errors';
import { PolicyRepository } from './policy.repository';
import { PolicyRolloutService } from './rollout/policy-rollout.service';

export const MAX_VERSIONS_LISTED = 100;

export function policyView(row: PolicyVersionEntity): PolicyView {
  return {
    version: row.version,
    document: row.document,
    comment: row.comment,
    createdAt: row.createdAt,
    createdBy: row.createdBy,
  };
}

@Injectable()
export class PolicyService {
  private readonly listeners: ((policy: PolicyView) => void)[] = [];

  constructor(
    private readonly repo: PolicyRepository,
    private readonly agentPolicies: AgentPolicyRepository,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly rollouts: PolicyRolloutService,
  ) {}

  /** Called after each new version is committed. */
  onCreated(listener: (policy: PolicyView) => void): void {
    this.listeners.push(listener);
  }

  async list(): Promise<PolicyView[]> {
    return (await this.repo.list(MAX_VERSIONS_LISTED)).map(policyView);
  }

  async get(version: number): Promise<PolicyView> {
    const row = await this.repo.find(version);
    if (!row) throw new PolicyError('not_found', 'no such policy version');
    return policyView(row);
  }

  /** The version in force (the highest); seeded when there is none yet. */
  async current(): Promise<PolicyView> {
    const row = (await this.repo.latest()) ?? (await this.seedDefault(), await this.repo.latest());
    if (!row) throw new PolicyError('not_found', 'no policy');
    return policyView(row);
  }

  async create(request: PolicyCreateRequest, actor: string): Promise<PolicyView> {
    const plan = await this.rollouts.plan();
    const row = await this.transactions.run(async (tx) => {
      const current = await this.repo.latest(tx);
      const currentVersion = current?.version ?? 0;
      if (request.baseVersion !== undefined && request.baseVersion !== currentVersion)
        throw new PolicyError(
          'version_conflict',
          `version ${currentVersion} was saved since version ${request.baseVersion}: reload and edit again`,
        );
      await this.refuseDroppedPins(request.document, tx);
      const inserted = await this.insert(
        tx,
        currentVersion + 1,
        request.document,
        request.comment,
        actor,
        currentVersion,
      );
      if (currentVersion > 0) await this.rollouts.start(plan, inserted.version, currentVersion, actor, tx);
      return inserted;
    });
    const view = policyView(row);
    for (const listener of this.listeners) listener(view);
    return view;
  }

  /** On the first start (no version at all), the default policy as version 1, audited as `system`. */
  async seedDefault(): Promise<boolean> {
    return this.transactions.run(async (tx) => {
      if (await this.repo.latest(tx)) return false;
      await this.insert(tx, 1, DEFAULT_POLICY, 'default policy', 'system', 0);
      return true;
    });
  }

  private async refuseDroppedPins(document: PolicyDocument, tx: Tx): Promise<void> {
    const ids = new Set(document.tiers.map((t) => t.id));
    for (const [tier, agents] of await this.agentPolicies.pinnedTiers(tx))
      if (!ids.has(tier))
        throw new PolicyError(
          'invalid',
          `document.tiers: tier "${tier}" is pinned on ${agents} workstations; unpin them first`,
        );
  }

  private async insert(
    tx: Tx,
    version: number,
    document: PolicyDocument,
    comment: string,
    actor: string,
    previousVersion: number,
  ): Promise<PolicyVersionEntity> {
    const row: PolicyVersionEntity = {
      version,
      document,
      comment: comment.slice(0, 500),
      createdAt: this.clock.now(),
      createdBy: actor.slice(0, 128),
    };
    await this.repo.insert(row, tx);
    await this.audit.append(
      {
        actor,
        action: 'policy.create',
        target: `policy:${version}`,
        details: { version, previousVersion, tiers: document.tiers.map((t) => t.id), comment: row.comment },
      },
      tx,
    );
    return row;
  }
}
