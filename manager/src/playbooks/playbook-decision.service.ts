// Decides what is done about each new (or grown) alert: the enabled playbooks are
// evaluated (playbook-evaluation.ts), and each action they call for is
//   automatic → issued at once through the CommandIssuer, unless the workstation is under
//               break-glass or maintenance (revoke, lock, disable) or a cap is reached:
//               then it becomes an approval request (`playbook.capped`), never dropped;
//   approve   → proposed to people through the ApprovalRequester;
//   notify    → an audit row and a log line.
// Every decision is audited as `playbook.decision` with the playbook and its version, the
// alert's score, rules and model, the mode asked for and the mode chosen, and what came of it.
//
// Each action is decided once per alert (decisionKey: its kind, and for a kill the suspect
// process): an alert that grows (a later score of its window) is evaluated again, and only
// actions not decided yet are taken. The memory is in the database (decision-memory.ts),
// so a restart or two evaluations at once never take an action twice; the caps take a slot
// in the database in the step that checks them (auto-action-caps.ts), so they hold across a
// restart and across managers sharing the database.
import {
  Inject,
  Injectable,
  Optional,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { PlaybookMode, PlaybookView } from '@wardwatch/shared';
import { AgentService } from '../agents/agent.service';
import type { AlertEntity } from '../alerts/alert.entity';
import { AlertService, type AlertNotice } from '../alerts/alert.service';
import { APPROVAL_REQUESTER, type ApprovalRequester } from '../approvals/approval-request';
import { AuditService } from '../audit/audit.service';
import { COMMAND_ISSUER, type CommandIssuer, type IssueCommandRequest } from '../commands/command-issuer';
import { Clock } from '../common/clock';
import { severityName } from '../common/severity';
import { MANAGER_CONFIG, type ManagerConfig } from '../config/config.schema';
import { JsonLogger } from '../logging/json-logger';
import { StaffRoleService } from '../staff-roles/staff-role.service';
import { ResponseMetrics } from '../metrics/response-metrics';
import { AutoActionCaps } from './auto-action-caps';
import { AutoActionSlotRepository } from './auto-action-slot.repository';
import { DecisionMemory } from './decision-memory';
import {
  buildCommandAction,
  decisionKey,
  proposalSummary,
  SESSION_ACTIONS,
  twoPersonReason,
  userReason,
  warningSeconds,
} from './playbook-commands';
import { evaluatePlaybooks, type PlaybookMatch } from './playbook-evaluation';
import { PlaybookService } from './playbook.service';
import { RESPONSE_GUARD_STATE, type ResponseGuardState } from './response-guard-state';

/** An automatic command not taken by the agent within this is dropped by commands/. */
export const AUTOMATIC_EXPIRY_SECONDS = 300;
/** A proposal lapses when nobody decides within this; once approved, its commands have AUTOMATIC_EXPIRY_SECONDS. */
export const APPROVAL_EXPIRY_SECONDS = 3_600;

export type CapReason = 'fleet' | 'unit' | 'break_glass' | 'maintenance';

/** What became of one matched action. */
export type DecisionOutcome =
  | { kind: 'issued'; commandId: string; state: 'sent' | 'queued' }
  | { kind: 'approval_requested'; approvalId: string }
  | { kind: 'notified' }
  | { kind: 'skipped'; reason: string }
  | { kind: 'failed'; reason: string };

export interface Decision {
  alertId: string;
  agentId: string;
  playbookId: string;
  playbookVersion: number;
  action: PlaybookMatch['action']['kind'];
  askedMode: PlaybookMode;
  chosenMode: PlaybookMode;
  cappedBy?: CapReason;
  outcome: DecisionOutcome;
}

@Injectable()
export class PlaybookDecisionService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly caps: AutoActionCaps;
  private readonly running = new Set<Promise<unknown>>();
  private unsubscribe: (() => void) | undefined;
  private readonly log: JsonLogger;

  constructor(
    private readonly playbooks: PlaybookService,
    private readonly alerts: AlertService,
    private readonly agents: AgentService,
    private readonly staffRoles: StaffRoleService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(MANAGER_CONFIG) private readonly config: Pick<ManagerConfig, 'playbooks'>,
    @Inject(COMMAND_ISSUER) private readonly issuer: CommandIssuer,
    @Inject(APPROVAL_REQUESTER) private readonly approvals: ApprovalRequester,
    @Inject(RESPONSE_GUARD_STATE) private readonly guard: ResponseGuardState,
    slots: AutoActionSlotRepository,
    private readonly memory: DecisionMemory,
    @Optional() logger?: JsonLogger,
    @Optional() private readonly metrics?: ResponseMetrics,
  ) {
    this.caps = new AutoActionCaps(slots, {
      perMinute: config.playbooks.maxAutoPerMinute,
      perUnitPerMinute: config.playbooks.maxAutoPerUnitPerMinute,
    });
    this.log = (logger ?? new JsonLogger('error', { write: () => undefined })).child('playbooks');
  }

  onApplicationBootstrap(): void {
    this.unsubscribe = this.alerts.onRaised((notice) => this.hear(notice));
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.unsubscribe?.();
    await this.settled();
  }

  /** Resolves once every decision under way has been made (tests and shutdown). */
  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  private hear(notice: AlertNotice): void {
    const work = this.decide(notice.alertId).catch((error: unknown) =>
      this.log.error('playbook decision failed', { alertId: notice.alertId, error: String(error) }),
    );
    this.running.add(work);
    void work.finally(() => this.running.delete(work));
  }

  /** Evaluates the enabled playbooks on one alert and acts on each action not decided yet for it. */
  async decide(alertId: string): Promise<Decision[]> {
    const alert = await this.alerts.findRecord(alertId);
    if (!alert) return [];
    const agent = await this.agents.find(alert.agentId);
    const station = { tags: agent?.tags ?? [], unit: agent?.unit ?? null };
    const playbooks = await this.playbooks.enabled();
    const severity = severityName(alert.severity);
    const matches = evaluatePlaybooks(
      playbooks,
      {
        id: alert.id,
        kind: alert.kind ?? 'behaviour',
        score: alert.score,
        severity,
        ruleIds: alert.ruleIds ?? [],
        reasons: alert.reasonDetails ?? [],
        userRole: await this.staffRoles.roleOf(alert.user),
        identityMismatch: alert.identityMismatch ?? null,
      },
      station,
      this.clock.now(),
      this.config.playbooks.siteTimeZone,
    );
    const names = new Map(playbooks.map((p) => [p.id, p]));
    const context: DecisionContext = {
      alert,
      severity,
      hostname: agent?.hostname ?? alert.agentId,
      unit: station.unit,
    };
    const decisions: Decision[] = [];
    for (const match of matches) {
      // Claimed in the database before it is acted on: of two evaluations of this alert
      // (here or in a manager before a restart), only one takes the action.
      if (!(await this.memory.claim(alert.id, decisionKey(match.action.kind, alert.suspects ?? [])))) continue;
      decisions.push(await this.act(match, names.get(match.playbookId), context));
    }
    return decisions;
  }

  private act(match: PlaybookMatch, playbook: PlaybookView | undefined, ctx: DecisionContext): Promise<Decision> {
    if (match.action.mode !== 'automatic') return this.actAs(match, playbook, ctx, undefined);
    // A slot under the caps is taken (checked and counted in one step, in the database) first.
    return this.holdBack(match, ctx).then((cappedBy) => this.actAs(match, playbook, ctx, cappedBy));
  }

  private async actAs(
    match: PlaybookMatch,
    playbook: PlaybookView | undefined,
    ctx: DecisionContext,
    cappedBy: CapReason | undefined,
  ): Promise<Decision> {
    const asked = match.action.mode;
    const chosen: PlaybookMode = cappedBy ? 'approve' : asked;
    let outcome: DecisionOutcome;
    try {
      outcome = await this.carryOut(match, chosen, playbook?.name ?? match.playbookId, ctx);
    } catch (error) {
      // Never silent: the decision is audited as failed and logged (e.g. commands/ not available).
      outcome = { kind: 'failed', reason: String(error instanceof Error ? error.message : error).slice(0, 300) };
      this.log.error('playbook action failed', {
        alertId: ctx.alert.id,
        action: match.action.kind,
        error: outcome.reason,
      });
    }
    const decision: Decision = {
      alertId: ctx.alert.id,
      agentId: ctx.alert.agentId,
      playbookId: match.playbookId,
      playbookVersion: match.playbookVersion,
      action: match.action.kind,
      askedMode: asked,
      chosenMode: chosen,
      ...(cappedBy && { cappedBy }),
      outcome,
    };
    await this.audit.append({
      actor: 'system:playbooks',
      action: 'playbook.decision',
      target: ctx.alert.id,
      details: {
        ...decision,
        rule: match.ruleName,
        score: ctx.alert.score,
        severity: ctx.severity,
        ruleIds: ctx.alert.ruleIds ?? [],
        modelVersion: ctx.alert.modelSource ?? null,
      },
    });
    const line = {
      alertId: ctx.alert.id,
      agentId: ctx.alert.agentId,
      playbookId: match.playbookId,
      action: match.action.kind,
      mode: chosen,
      outcome: outcome.kind,
    };
    if (chosen === 'notify') this.log.warn('playbook notification', line);
    else this.log.info('playbook decision', line);
    return decision;
  }

  /** Why an automatic action must wait for a person instead (audited `playbook.capped`), or undefined. */
  private async holdBack(match: PlaybookMatch, ctx: DecisionContext): Promise<CapReason | undefined> {
    let reason: CapReason | undefined;
    if (SESSION_ACTIONS.includes(match.action.kind)) reason = await this.guardReason(ctx.alert.agentId);
    if (!reason) {
      const verdict = await this.caps.take(ctx.unit, this.clock.now());
      if (!verdict.ok) reason = verdict.cap;
    }
    if (reason) this.metrics?.capHit(reason);
    if (reason)
      await this.audit.append({
        actor: 'system:playbooks',
        action: 'playbook.capped',
        target: ctx.alert.id,
        details: {
          cap: reason,
          agentId: ctx.alert.agentId,
          unit: ctx.unit,
          playbookId: match.playbookId,
          playbookVersion: match.playbookVersion,
          action: match.action.kind,
        },
      });
    return reason;
  }

  private async guardReason(agentId: string): Promise<CapReason | undefined> {
    try {
      if (await this.guard.isUnderBreakGlass(agentId)) return 'break_glass';
      if (await this.guard.isInMaintenance(agentId)) return 'maintenance';
      return undefined;
    } catch (error) {
      // Unknown is treated as protected: a person decides instead.
      this.log.warn('break-glass state unknown; asking for approval', { agentId, error: String(error) });
      return 'break_glass';
    }
  }

  private async carryOut(
    match: PlaybookMatch,
    mode: PlaybookMode,
    playbookName: string,
    ctx: DecisionContext,
  ): Promise<DecisionOutcome> {
    if (mode === 'notify' || match.action.kind === 'notify') return { kind: 'notified' };
    const built = buildCommandAction(match.action, ctx.alert.user, ctx.alert.suspects ?? []);
    if (!built.ok) return { kind: 'skipped', reason: built.reason };
    const ruleIds = ctx.alert.ruleIds ?? [];
    const command: IssueCommandRequest = {
      agentId: ctx.alert.agentId,
      action: built.action,
      reason: userReason(match.action.kind, ruleIds),
      warningSeconds: warningSeconds(match.action, ctx.severity),
      automatic: mode === 'automatic',
      dryRun: false,
      expiresInSeconds: AUTOMATIC_EXPIRY_SECONDS,
      decision: {
        source: 'playbook',
        playbookId: match.playbookId,
        playbookVersion: match.playbookVersion,
        alertId: ctx.alert.id,
        score: ctx.alert.score,
        ruleIds,
        ...(ctx.alert.modelSource ? { modelVersion: ctx.alert.modelSource } : {}),
      },
    };
    if (mode === 'automatic') {
      const issued = await this.issuer.issue(command);
      return { kind: 'issued', commandId: issued.commandId, state: issued.state };
    }
    const { approvalId } = await this.approvals.request({
      summary: proposalSummary(match.action.kind, playbookName, ctx.hostname, ctx.alert.score),
      commands: [command],
      alertId: ctx.alert.id,
      playbookId: match.playbookId,
      playbookVersion: match.playbookVersion,
      expiresInSeconds: APPROVAL_EXPIRY_SECONDS,
      twoPersonReason: twoPersonReason(match.action.kind, 1, this.config.playbooks.bulkThreshold),
    });
    return { kind: 'approval_requested', approvalId };
  }
}

interface DecisionContext {
  alert: AlertEntity;
  severity: ReturnType<typeof severityName>;
  hostname: string;
  unit: string | null;
}
