// Staged rollout of a new policy version. A version saved while workstations exist goes
// first to canaries: those an admin marked, and a configured share of the fleet drawn by
// a hash of version and agent id (stable, so a restart draws the same ones). The rest of
// the fleet keeps the version it held (`fromVersion`). When every canary has reported the
// version applied without failure and stayed so for the soak time, the fleet gets it
// (`complete`). A canary's failure halts the rollout (audited, with the agent and its
// problems, and shown in the API), and so does a canary that has not reported the version
// within the canary timeout (a workstation switched off must not hold a rollout for ever);
// an admin then resumes it (reports from before the resume no longer count, and the
// timeout starts again) or aborts it (everyone back on `fromVersion`), or promotes it to the
// whole fleet at once, with a reason (canary or halted; audited). Progress is
// checked after each compliance report and on the tier job's interval; checks are
// serialised in this process. Threat-driven tier changes are not staged: see
// threat-tiers/threat-tier.service.ts.
import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { PolicyRolloutView } from '@wardwatch/shared';
import { AgentService } from '../../agents/agent.service';
import { AuditService } from '../../audit/audit.service';
import { Clock } from '../../common/clock';
import { MANAGER_CONFIG, type ManagerConfig } from '../../config/config.schema';
import { TransactionRunner, type Tx } from '../../database/transaction.runner';
import { AgentPolicyRepository } from '../agent-policy.repository';
import { PolicyError } from '../policy.errors';
import { canaryStatus } from './canary-check';
import type { PolicyRolloutEntity } from './policy-rollout.entity';
import { PolicyRolloutRepository } from './policy-rollout.repository';

/** The fleet as read before the transaction that saves a version. */
export interface RolloutPlan {
  agentIds: string[];
  marked: string[];
}

@Injectable()
export class PolicyRolloutService {
  private readonly listeners: (() => void)[] = [];
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly repo: PolicyRolloutRepository,
    private readonly agentPolicyRows: AgentPolicyRepository,
    private readonly agents: AgentService,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(MANAGER_CONFIG) private readonly config: Pick<ManagerConfig, 'rollout'>,
  ) {}

  /** Called after the versions agents should hold changed (promoted, aborted). */
  onChanged(listener: () => void): void {
    this.listeners.push(listener);
  }

  async plan(): Promise<RolloutPlan> {
    const agentIds = (await this.agents.list()).filter((a) => a.status !== 'revoked').map((a) => a.id);
    const fleet = new Set(agentIds);
    return { agentIds, marked: (await this.agentPolicyRows.canaries()).filter((id) => fleet.has(id)) };
  }

  /** Inside the transaction that saves `version` over `previousVersion`: its rollout, audited. */
  async start(plan: RolloutPlan, version: number, previousVersion: number, actor: string, tx: Tx): Promise<void> {
    const now = this.clock.now();
    const previous = await this.repo.latest(tx);
    let fromVersion = previous === null ? previousVersion : previous.version;
    if (previous && previous.state !== 'complete') {
      fromVersion = previous.fromVersion;
      if (previous.state === 'canary' || previous.state === 'halted') {
        await this.repo.save({ ...previous, state: 'superseded', updatedAt: now, updatedBy: actor }, tx);
        await this.audit.append(
          { actor, action: 'policy.rollout_supersede', target: `policy:${previous.version}`, details: { by: version } },
          tx,
        );
      }
    }
    const canaries = this.draw(plan, version);
    const state = canaries.length === 0 ? 'complete' : 'canary';
    await this.repo.save(
      {
        version,
        fromVersion,
        state,
        canaries,
        startedAt: now,
        resumedAt: null,
        canariesOkAt: null,
        haltReason: null,
        updatedAt: now,
        updatedBy: actor.slice(0, 128),
      },
      tx,
    );
    await this.audit.append(
      {
        actor,
        action: 'policy.rollout_start',
        target: `policy:${version}`,
        details: { version, fromVersion, state, canaries },
      },
      tx,
    );
  }

  /** The version an agent should hold now, given the newest version saved. */
  async versionFor(agentId: string, latestVersion: number): Promise<number> {
    return (await this.versionsOf(latestVersion))(agentId);
  }

  /** One read for many agents (a fleet listing): the version each should hold now. */
  async versionsOf(latestVersion: number): Promise<(agentId: string) => number> {
    const rollout = await this.repo.latest();
    if (!rollout || rollout.version !== latestVersion) return () => latestVersion;
    if (rollout.state === 'complete' || rollout.state === 'superseded') return () => rollout.version;
    if (rollout.state === 'aborted') return () => rollout.fromVersion;
    const canaries = new Set(rollout.canaries);
    return (agentId) => (canaries.has(agentId) ? rollout.version : rollout.fromVersion);
  }

  async view(): Promise<PolicyRolloutView | null> {
    const rollout = await this.repo.latest();
    if (!rollout) return null;
    const canaries = await this.canaryViews(rollout);
    return {
      version: rollout.version,
      fromVersion: rollout.fromVersion,
      state: rollout.state,
      canaries,
      startedAt: rollout.startedAt,
      canariesOkAt: rollout.canariesOkAt,
      soakEndsAt:
        rollout.state === 'canary' && rollout.canariesOkAt !== null
          ? rollout.canariesOkAt + this.config.rollout.soakMs
          : null,
      canaryDeadlineAt: rollout.state === 'canary' ? this.canaryDeadline(rollout) : null,
      haltReason: rollout.haltReason,
      updatedAt: rollout.updatedAt,
      updatedBy: rollout.updatedBy,
    };
  }

  /** Halts on a canary's failure, or promotes once all canaries were well for the soak time. */
  progress(): Promise<PolicyRolloutView['state'] | null> {
    const run = this.queue.catch(() => undefined).then(() => this.progressOnce());
    this.queue = run;
    return run;
  }

  async resume(actor: string): Promise<PolicyRolloutView> {
    await this.change(['halted'], 'canary', 'policy.rollout_resume', actor, (row, now) => ({
      ...row,
      resumedAt: now,
      canariesOkAt: null,
      haltReason: null,
    }));
    await this.progress();
    return (await this.view()) as PolicyRolloutView;
  }

  async abort(actor: string): Promise<PolicyRolloutView> {
    await this.change(['canary', 'halted'], 'aborted', 'policy.rollout_abort', actor, (row) => row);
    this.announce();
    return (await this.view()) as PolicyRolloutView;
  }

  /**
   * The whole fleet gets the version now, whatever its canaries said so far (waiting, or a
   * halt an admin judged harmless): audited with the admin's reason and the canaries' state.
   */
  async promote(actor: string, reason: string): Promise<PolicyRolloutView> {
    await this.change(
      ['canary', 'halted'],
      'complete',
      'policy.rollout_promote',
      actor,
      (row) => row,
      async (row, tx) => {
        const canaries = await this.canaryViews(row, tx);
        const count = (status: string) => canaries.filter((c) => c.status === status).length;
        return {
          manual: true,
          reason,
          haltReason: row.haltReason,
          canaryStates: { ok: count('ok'), waiting: count('waiting'), failed: count('failed') },
        };
      },
    );
    this.announce();
    return (await this.view()) as PolicyRolloutView;
  }

  private async change(
    from: readonly PolicyRolloutEntity['state'][],
    to: PolicyRolloutEntity['state'],
    action: string,
    actor: string,
    edit: (row: PolicyRolloutEntity, now: number) => PolicyRolloutEntity,
    details: (row: PolicyRolloutEntity, tx: Tx) => Promise<Record<string, unknown>> = () => Promise.resolve({}),
  ): Promise<void> {
    await this.transactions.run(async (tx) => {
      const row = await this.repo.latest(tx);
      if (!row) throw new PolicyError('not_found', 'no rollout');
      if (!from.includes(row.state))
        throw new PolicyError('rollout_state', `the rollout of version ${row.version} is ${row.state}`);
      const now = this.clock.now();
      const more = await details(row, tx);
      await this.repo.save({ ...edit(row, now), state: to, updatedAt: now, updatedBy: actor.slice(0, 128) }, tx);
      await this.audit.append(
        {
          actor,
          action,
          target: `policy:${row.version}`,
          details: { version: row.version, from: row.state, to, ...more },
        },
        tx,
      );
    });
  }

  private async progressOnce(): Promise<PolicyRolloutView['state'] | null> {
    const now = this.clock.now();
    const outcome = await this.transactions.run(async (tx) => {
      const row = await this.repo.latest(tx);
      if (!row || row.state !== 'canary') return row?.state ?? null;
      const canaries = await this.canaryViews(row, tx);
      const failed = canaries.find((c) => c.status === 'failed');
      if (failed) {
        const haltReason = `canary ${failed.agentId}: ${failed.problems.join('; ')}`;
        const problems = failed.problems.slice(0, 16);
        await this.halt(row, now, haltReason, { cause: 'canary_failed', agentId: failed.agentId, problems }, tx);
        return 'halted';
      }
      const deadline = this.canaryDeadline(row);
      const silent = canaries.filter((c) => c.status === 'waiting').map((c) => c.agentId);
      if (deadline !== null && now >= deadline && silent.length > 0) {
        const minutes = Math.round(this.config.rollout.canaryTimeoutMs / 60_000);
        const haltReason = `no report of the version within ${minutes} min from canaries ${silent.join(', ')}`;
        await this.halt(row, now, haltReason, { cause: 'canary_timeout', silent: silent.slice(0, 64), deadline }, tx);
        return 'halted';
      }
      if (canaries.some((c) => c.status !== 'ok')) return 'canary';
      if (row.canariesOkAt === null) {
        await this.repo.save({ ...row, canariesOkAt: now }, tx);
        if (this.config.rollout.soakMs > 0) return 'canary';
      }
      const okSince = row.canariesOkAt ?? now;
      if (now - okSince < this.config.rollout.soakMs) return 'canary';
      await this.repo.save(
        { ...row, canariesOkAt: okSince, state: 'complete', updatedAt: now, updatedBy: 'system' },
        tx,
      );
      await this.audit.append(
        {
          actor: 'system',
          action: 'policy.rollout_promote',
          target: `policy:${row.version}`,
          details: { version: row.version, canaries: row.canaries.length, okSince, soakMs: this.config.rollout.soakMs },
        },
        tx,
      );
      return 'complete';
    });
    if (outcome === 'complete') this.announce();
    return outcome;
  }

  /** Halts the rollout, audited as the system's, with why. */
  private async halt(
    row: PolicyRolloutEntity,
    now: number,
    reason: string,
    details: Record<string, unknown>,
    tx: Tx,
  ): Promise<void> {
    const haltReason = reason.slice(0, 500);
    await this.repo.save({ ...row, state: 'halted', haltReason, updatedAt: now, updatedBy: 'system' }, tx);
    await this.audit.append(
      {
        actor: 'system',
        action: 'policy.rollout_halt',
        target: `policy:${row.version}`,
        details: { version: row.version, reason: haltReason, ...details },
      },
      tx,
    );
  }

  /** When silent canaries halt the rollout: the timeout from its start, or from the last resume. */
  private canaryDeadline(row: PolicyRolloutEntity): number | null {
    const timeout = this.config.rollout.canaryTimeoutMs;
    return timeout > 0 ? (row.resumedAt ?? row.startedAt) + timeout : null;
  }

  private async canaryViews(row: PolicyRolloutEntity, tx?: Tx): Promise<PolicyRolloutView['canaries']> {
    const records = new Map((await this.agentPolicyRows.findMany(row.canaries, tx)).map((r) => [r.agentId, r]));
    const since = row.resumedAt ?? row.startedAt;
    return row.canaries.map((agentId) => ({ agentId, ...canaryStatus(row.version, since, records.get(agentId)) }));
  }

  /** The marked canaries and the configured share of the rest, by a hash of version and id. */
  private draw(plan: RolloutPlan, version: number): string[] {
    const marked = new Set(plan.marked);
    const fraction = this.config.rollout.canaryFraction;
    const wanted = fraction === 0 ? 0 : Math.ceil(fraction * plan.agentIds.length);
    const drawn = plan.agentIds
      .filter((id) => !marked.has(id))
      .map((id) => ({ id, rank: createHash('sha256').update(`${version}:${id}`).digest('hex') }))
      .sort((a, b) => (a.rank < b.rank ? -1 : 1))
      .slice(0, Math.max(0, wanted - marked.size))
      .map((d) => d.id);
    return [...marked, ...drawn].sort();
  }

  private announce(): void {
    for (const listener of this.listeners) listener();
  }
}
