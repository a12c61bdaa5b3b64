// The approvals queue: a playbook proposes commands that a person must approve; one
// person approves, or two different people when the proposal has a two-person reason
// (and then not the person who asked for it). Every change is written over the row's
// revision together with its audit row, so two people deciding at once cannot both win.
//
// Issuing happens after the final approval has committed: the command issuer writes in
// its own transactions (and SQLite runs one at a time), so it cannot join ours. The
// order keeps it consistent: (1) the final approval commits with state `approved`,
// issue state `issuing` and its `approval.approve` audit row; (2) each command is
// issued; (3) the command ids and `issued` (audited `approval.approved`, with every
// approver and command id) or `failed` with the error (audited `approval.issue_failed`)
// are written. A crash between (1) and (3) leaves `issuing` visible on the proposal.
import { Inject, Injectable, Optional } from '@nestjs/common';
import type { ApprovalDetail, ApprovalPage, ApprovalQuery, ApprovalState, ApprovalView } from '@wardwatch/shared';
import { z } from 'zod';
import { AlertService } from '../alerts/alert.service';
import { AuditService } from '../audit/audit.service';
import { COMMAND_ISSUER, type CommandIssuer, type IssueCommandRequest } from '../commands/command-issuer';
import { Clock, RandomSource } from '../common/clock';
import { pageCursor, toPage } from '../common/page-cursor';
import { TransactionRunner, type Tx } from '../database/transaction.runner';
import { JsonLogger } from '../logging/json-logger';
import { ResponseMetrics } from '../metrics/response-metrics';
import type { ApprovalProposal, ApprovalRequester } from './approval-request';
import type { ApprovalEntity } from './approval.entity';
import { ApprovalError } from './approval.errors';
import { ApprovalRepository, type ApprovalChanges } from './approval.repository';
import { ProposalShape } from './approval.schemas';
import { approvalsRequired, toApprovalView } from './approval-view.mapper';

const cursor = pageCursor(z.tuple([z.number().int(), z.string()]));
const DECIDED_STATES: readonly ApprovalState[] = ['approved', 'rejected', 'expired'];

/** Proposals the expiry job marks per batch. */
const EXPIRY_BATCH = 100;
const MAX_ERROR_TEXT = 500;

@Injectable()
export class ApprovalService implements ApprovalRequester {
  private readonly log: JsonLogger;

  constructor(
    private readonly repo: ApprovalRepository,
    private readonly alerts: AlertService,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly random: RandomSource,
    @Inject(COMMAND_ISSUER) private readonly issuer: CommandIssuer,
    logger: JsonLogger,
    @Optional() metrics?: ResponseMetrics,
  ) {
    this.log = logger.child('approvals');
    metrics?.observePendingApprovals(() => this.repo.countPending(this.clock.now()));
  }

  /** Queues a proposal (the ApprovalRequester seam playbooks/ calls), audited `approval.requested`. */
  async request(proposal: ApprovalProposal): Promise<{ approvalId: string }> {
    const checked = ProposalShape.safeParse(proposal);
    if (!checked.success) {
      const issue = checked.error.issues[0];
      throw new ApprovalError('invalid_input', `invalid proposal: ${issue.path.join('.')}: ${issue.message}`);
    }
    const p = checked.data;
    const now = this.clock.now();
    const row: ApprovalEntity = {
      id: this.random.uuid(),
      summary: p.summary,
      commands: proposal.commands,
      alertId: p.alertId ?? null,
      playbookId: p.playbookId,
      playbookVersion: p.playbookVersion,
      createdAt: now,
      expiresAt: now + p.expiresInSeconds * 1_000,
      state: 'pending',
      twoPersonReason: p.twoPersonReason,
      requestedBy: p.requestedBy ?? null,
      approvals: [],
      rejection: null,
      revision: 1,
      issueState: 'not_issued',
      commandIds: [],
      issueError: null,
    };
    await this.transactions.run(async (tx) => {
      await this.repo.insert(row, tx);
      await this.audit.append(
        {
          actor: row.requestedBy ?? `playbook:${row.playbookId}`,
          action: 'approval.requested',
          target: row.id,
          details: {
            alertId: row.alertId,
            playbookId: row.playbookId,
            playbookVersion: row.playbookVersion,
            agents: row.commands.map((c) => c.agentId),
            actions: [...new Set(row.commands.map((c) => c.action.$case))],
            twoPersonReason: row.twoPersonReason,
            expiresAt: row.expiresAt,
            // What the playbook decided on (the same alert for every command): score, rules, model.
            ...decisionBasis(row.commands),
          },
        },
        tx,
      );
    });
    return { approvalId: row.id };
  }

  /** One person's approval; the final one issues the commands (see the top of this file). */
  async approve(id: string, actor: string, comment: string): Promise<ApprovalView> {
    const decided = await this.transactions.run(async (tx) => {
      const row = await this.decidable(id, tx);
      const required = approvalsRequired(row);
      if (row.approvals.some((a) => a.by === actor)) {
        throw new ApprovalError(
          'not_allowed_approver',
          'you have already approved this proposal; it needs the approval of a second, different person',
        );
      }
      if (required === 2 && row.requestedBy === actor) {
        throw new ApprovalError(
          'not_allowed_approver',
          'you requested this action and it needs two people: two others must approve it',
        );
      }
      const approvals = [...row.approvals, { by: actor, at: this.clock.now(), comment }];
      const final = approvals.length >= required;
      const changes: ApprovalChanges = final ? { approvals, state: 'approved', issueState: 'issuing' } : { approvals };
      const next = await this.write(row, changes, tx);
      await this.audit.append(
        {
          actor,
          action: 'approval.approve',
          target: id,
          details: { approval: approvals.length, of: required, final, comment },
        },
        tx,
      );
      return next;
    });
    if (decided.state !== 'approved') return toApprovalView(decided);
    return toApprovalView(await this.issue(decided, actor));
  }

  /** Rejects a pending proposal; a rejection must say why. Audited `approval.rejected`. */
  async reject(id: string, actor: string, comment: string): Promise<ApprovalView> {
    const why = comment.trim();
    if (why === '') throw new ApprovalError('invalid_input', 'a rejection needs a comment saying why');
    return this.transactions.run(async (tx) => {
      const row = await this.decidable(id, tx);
      const rejection = { by: actor, at: this.clock.now(), comment: why };
      const next = await this.write(row, { state: 'rejected', rejection }, tx);
      await this.audit.append(
        {
          actor,
          action: 'approval.rejected',
          target: id,
          details: { comment: why, approvals: row.approvals.map((a) => a.by) },
        },
        tx,
      );
      return toApprovalView(next);
    });
  }

  /** Marks every pending proposal past its expiry expired, each audited `approval.expired`; returns how many. */
  async expireDue(): Promise<number> {
    let expired = 0;
    for (;;) {
      const now = this.clock.now();
      const due = await this.repo.duePending(now, EXPIRY_BATCH);
      for (const row of due) {
        const done = await this.transactions.run(async (tx) => {
          // Someone decided it since we listed it: leave it as they did.
          if (!(await this.repo.updateAtRevision(row.id, row.revision, { state: 'expired' }, tx))) return false;
          await this.audit.append(
            {
              actor: 'system',
              action: 'approval.expired',
              target: row.id,
              details: { expiresAt: row.expiresAt, approvals: row.approvals.map((a) => a.by) },
            },
            tx,
          );
          return true;
        });
        if (done) expired += 1;
      }
      if (due.length < EXPIRY_BATCH) return expired;
    }
  }

  /** Newest first, of one state (or all decided ones) when asked; the cursor is the creation time and id of the last one seen. */
  async page(query: ApprovalQuery): Promise<ApprovalPage> {
    const after = query.cursor === undefined ? undefined : cursor.decode(query.cursor);
    const states = query.state === 'decided' ? DECIDED_STATES : query.state && [query.state];
    const rows = await this.repo.page(states, query.limit, after);
    return toPage(rows, query.limit, toApprovalView, (a) => cursor.encode([a.createdAt, a.id]));
  }

  /** One proposal with the alert behind it (its score, reasons and the ids of its events). */
  async detail(id: string): Promise<ApprovalDetail> {
    const row = await this.repo.findById(id);
    if (!row) throw new ApprovalError('not_found', 'no such approval');
    const alert = row.alertId === null ? null : await this.alerts.find(row.alertId);
    return {
      ...toApprovalView(row),
      alert: alert && {
        id: alert.id,
        agentId: alert.agentId,
        severity: alert.severity,
        score: alert.score,
        title: alert.title,
        reasons: alert.reasons,
        eventIds: alert.eventIds,
        ...(alert.reasonDetails ? { reasonDetails: alert.reasonDetails } : {}),
        ...(alert.ruleIds ? { ruleIds: alert.ruleIds } : {}),
      },
    };
  }

  /** The row, if it may still be decided: pending and not past its expiry. */
  private async decidable(id: string, tx: Tx): Promise<ApprovalEntity> {
    const row = await this.repo.findById(id, tx);
    if (!row) throw new ApprovalError('not_found', 'no such approval');
    if (row.state === 'expired' || (row.state === 'pending' && row.expiresAt <= this.clock.now())) {
      throw new ApprovalError('expired', 'this proposal has expired and can no longer be decided');
    }
    if (row.state !== 'pending') {
      const by = row.state === 'approved' ? row.approvals.map((a) => a.by) : [row.rejection?.by ?? 'someone'];
      throw new ApprovalError('already_decided', `this proposal was already ${row.state} by ${by.join(' and ')}`);
    }
    return row;
  }

  private async write(row: ApprovalEntity, changes: ApprovalChanges, tx: Tx): Promise<ApprovalEntity> {
    if (!(await this.repo.updateAtRevision(row.id, row.revision, changes, tx))) {
      throw new ApprovalError('already_decided', 'this proposal changed while you decided; reload it and decide again');
    }
    return { ...row, ...changes, revision: row.revision + 1 };
  }

  /** Issues every command of an approved proposal and records the outcome (see the top of this file). */
  private async issue(row: ApprovalEntity, lastApprover: string): Promise<ApprovalEntity> {
    const commandIds: string[] = [];
    let error: { agentId: string; message: string } | undefined;
    for (const command of row.commands) {
      try {
        const issued = await this.issuer.issue(this.asApproved(row, command, lastApprover));
        commandIds.push(issued.commandId);
      } catch (cause) {
        const message = (cause instanceof Error ? cause.message : String(cause)).slice(0, MAX_ERROR_TEXT);
        error = { agentId: command.agentId, message };
        this.log.error('issuing an approved command failed', {
          approvalId: row.id,
          agentId: command.agentId,
          error: cause,
        });
        break;
      }
    }
    const approvers = row.approvals.map((a) => a.by);
    return this.transactions.run(async (tx) => {
      const changes: ApprovalChanges = error
        ? { issueState: 'failed', commandIds, issueError: error.message }
        : { issueState: 'issued', commandIds };
      const next = await this.write(row, changes, tx);
      await this.audit.append(
        error
          ? {
              actor: lastApprover,
              action: 'approval.issue_failed',
              target: row.id,
              details: { approvers, commandIds, failedAgentId: error.agentId, error: error.message },
            }
          : {
              actor: lastApprover,
              action: 'approval.approved',
              target: row.id,
              details: {
                approvers,
                commandIds,
                playbookId: row.playbookId,
                playbookVersion: row.playbookVersion,
                alertId: row.alertId,
              },
            },
        tx,
      );
      return next;
    });
  }

  private asApproved(row: ApprovalEntity, command: IssueCommandRequest, lastApprover: string): IssueCommandRequest {
    return {
      ...command,
      // A person agreed: not automatic (break-glass and maintenance do not defer it).
      automatic: false,
      decision: {
        ...command.decision,
        source: 'approval',
        actorId: lastApprover,
        playbookId: row.playbookId,
        playbookVersion: row.playbookVersion,
        ...(row.alertId === null ? {} : { alertId: row.alertId }),
      },
    };
  }
}

/** The score, rules and model version a playbook's decision rested on, when it gave them. */
function decisionBasis(commands: IssueCommandRequest[]): Record<string, unknown> {
  const decision = commands[0]?.decision;
  return {
    ...(decision?.score === undefined ? {} : { score: decision.score }),
    ...(decision?.ruleIds === undefined ? {} : { ruleIds: decision.ruleIds }),
    ...(decision?.modelVersion === undefined ? {} : { modelVersion: decision.modelVersion }),
  };
}
