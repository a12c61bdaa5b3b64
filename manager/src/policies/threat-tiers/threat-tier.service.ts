// Threat-driven tiers: a workstation's level follows its risk (tier-levels.ts), a unit's
// follows its workstations'. Runs after each alert raised or updated (alerts/ announces
// them after commit, for rule alerts and scores at the alert threshold alike), after each
// stored score batch, and on an interval for the rest: cool-downs, and scores above a
// tier threshold but below the alert one. Runs are serialised in this process; across
// managers on one database each change is a conditional update of the level it was
// computed from (compare and set), so a workstation or unit is never moved, nor audited,
// twice for one change. Each change is written with its audit row (`policy.tier` /
// `policy.unit_tier`, cause included) in one transaction, then the agents whose assigned
// tier may have changed are delivered to at once.
//
// Not staged: a threat-driven rise reaches the workstation straight away, with the tier
// of the policy version that workstation already runs. Staging protects against new,
// untested settings; a tier of a version in force is neither, and holding back a
// protective change while a workstation is attacked would help only the attacker.
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { TierCause, UnitTierView } from '@wardwatch/shared';
import { AgentService } from '../../agents/agent.service';
import { AlertService } from '../../alerts/alert.service';
import { ScoreIngestService } from '../../alerts/score-ingest.service';
import { AuditService } from '../../audit/audit.service';
import { Clock } from '../../common/clock';
import { MANAGER_CONFIG, type ManagerConfig } from '../../config/config.schema';
import { TransactionRunner } from '../../database/transaction.runner';
import { JsonLogger } from '../../logging/json-logger';
import { AgentPolicyRepository } from '../agent-policy.repository';
import { AgentPolicyService } from '../agent-policy.service';
import { PolicyService } from '../policy.service';
import { ThreatSignalsRepository } from './threat-signals.repository';
import { nextLevel, tierForLevel, unitLevel } from './tier-levels';
import { UnitTierRepository } from './unit-tier.repository';

export interface TierRun {
  /** Workstations whose own level changed. */
  workstations: number;
  units: number;
  delivered: number;
}

@Injectable()
export class ThreatTierService implements OnModuleInit {
  private readonly log: JsonLogger;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly signals: ThreatSignalsRepository,
    private readonly agentPolicyRows: AgentPolicyRepository,
    private readonly units: UnitTierRepository,
    private readonly agents: AgentService,
    private readonly agentPolicies: AgentPolicyService,
    private readonly policies: PolicyService,
    private readonly alerts: AlertService,
    private readonly scores: ScoreIngestService,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(MANAGER_CONFIG) private readonly config: Pick<ManagerConfig, 'threatTiers'>,
    logger: JsonLogger,
  ) {
    this.log = logger.child('threat-tiers');
  }

  onModuleInit(): void {
    this.alerts.onRaised((notice) => this.soon([notice.agentId]));
    this.scores.onStored((agentId) => this.soon([agentId]));
  }

  async unitViews(): Promise<UnitTierView[]> {
    const document = (await this.policies.current()).document;
    return (await this.units.list()).map((u) => ({
      unit: u.unit,
      level: u.level,
      tier: tierForLevel(document, u.level).id,
      cause: u.cause,
      changedAt: u.changedAt,
    }));
  }

  /** Evaluates these agents (after an alert or a score batch) without holding up the caller. */
  soon(agentIds: readonly string[]): void {
    void this.evaluate(agentIds).catch((error: unknown) => this.log.error('threat tier run failed', { error }));
  }

  /** Evaluates the given agents, or every agent; units of the agents evaluated are re-counted. */
  evaluate(agentIds?: readonly string[]): Promise<TierRun> {
    const run = this.queue.catch(() => undefined).then(() => this.runOnce(agentIds));
    this.queue = run;
    return run;
  }

  private async runOnce(only?: readonly string[]): Promise<TierRun> {
    const now = this.clock.now();
    const config = this.config.threatTiers;
    const document = (await this.policies.current()).document;
    const scope = only
      ? (await Promise.all(only.map((id) => this.agents.find(id)))).filter((a) => a !== null)
      : await this.agents.list();
    const live = scope.filter((a) => a.status !== 'revoked');
    if (live.length === 0) return { workstations: 0, units: 0, delivered: 0 };
    const minScore = minimum(config.steps.map((s) => s.minScore));
    const signals = await this.signals.signals(
      { alertsSince: now - config.coolDownMs, scoresSince: now - config.scoreWindowMs, minScore },
      only ? live.map((a) => a.id) : undefined,
    );
    const rows = new Map((await this.agentPolicyRows.findMany(live.map((a) => a.id))).map((r) => [r.agentId, r]));
    const affected = new Set<string>();
    let workstations = 0;
    for (const agent of live) {
      const row = rows.get(agent.id);
      const current = row?.threatLevel ?? 0;
      const next = nextLevel(
        current,
        row?.threatChangedAt ?? null,
        signals.get(agent.id) ?? { topScore: null, alerts: [] },
        config,
        now,
      );
      if (!next) continue;
      const moved = await this.transactions.run(async (tx) => {
        const from = { level: current, changedAt: row?.threatChangedAt ?? null };
        const to = { level: next.level, cause: next.cause, changedAt: now };
        // Another manager moved it since it was read: its change stands, and is its to audit.
        if (!(await this.agentPolicyRows.moveThreatLevel(agent.id, from, to, tx))) return false;
        await this.audit.append(
          {
            actor: 'system',
            action: 'policy.tier',
            target: agent.id,
            details: {
              scope: 'workstation',
              fromTier: tierForLevel(document, current).id,
              toTier: tierForLevel(document, next.level).id,
              fromLevel: current,
              toLevel: next.level,
              cause: next.cause,
              pinnedTier: row?.pinnedTier ?? null,
            },
          },
          tx,
        );
        return true;
      });
      if (!moved) continue;
      workstations += 1;
      affected.add(agent.id);
    }
    // A unit changes only when one of its workstations did, or (the full run) when an
    // admin moved workstations between units.
    const recount = only ? live.filter((a) => affected.has(a.id)) : live;
    const touchedUnits = new Set(recount.map((a) => a.unit ?? '').filter((u) => u !== ''));
    const fleet = touchedUnits.size === 0 ? [] : only ? await this.agents.list() : live;
    let units = 0;
    for (const unit of touchedUnits) {
      const members = fleet.filter((a) => a.unit === unit && a.status !== 'revoked').map((a) => a.id);
      if (await this.recountUnit(unit, members, document, now)) {
        units += 1;
        for (const id of members) affected.add(id);
      }
    }
    let delivered = 0;
    for (const agentId of affected) if (await this.agentPolicies.redeliver(agentId)) delivered += 1;
    if (workstations + units > 0) this.log.info('threat tiers changed', { workstations, units, delivered });
    return { workstations, units, delivered };
  }

  /** Re-counts one unit from its workstations' own levels; true when its level changed. */
  private async recountUnit(
    unit: string,
    members: readonly string[],
    document: Parameters<typeof tierForLevel>[0],
    now: number,
  ): Promise<boolean> {
    const levels = (await this.agentPolicyRows.findMany(members)).map((r) => r.threatLevel);
    while (levels.length < members.length) levels.push(0);
    const next = unitLevel(levels, this.config.threatTiers.unit);
    return this.transactions.run(async (tx) => {
      const row = await this.units.find(unit, tx);
      const current = row?.level ?? 0;
      if (next.level === current) return false;
      const cause: TierCause = next.cause ?? {
        kind: 'workstations',
        level: current,
        count: levels.filter((l) => l >= current).length,
        of: levels.length,
      };
      if (!(await this.units.move(row, { unit, level: next.level, cause, changedAt: now }, tx))) return false;
      await this.audit.append(
        {
          actor: 'system',
          action: 'policy.unit_tier',
          target: `unit:${unit}`,
          details: {
            scope: 'unit',
            fromTier: tierForLevel(document, current).id,
            toTier: tierForLevel(document, next.level).id,
            fromLevel: current,
            toLevel: next.level,
            cause,
          },
        },
        tx,
      );
      return true;
    });
  }
}

function minimum(values: readonly (number | null)[]): number | null {
  const numbers = values.filter((v): v is number => v !== null);
  return numbers.length === 0 ? null : Math.min(...numbers);
}
