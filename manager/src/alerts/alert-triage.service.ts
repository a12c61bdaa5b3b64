// The analysts' workflow on an alert: open → acknowledged → closed with a verdict
// (true_positive, false_positive, benign), an assignee, and comments. Each change is
// written over the revision the analyst saw (AlertView.revision) together with its
// audit row (`alert.acknowledge`, `alert.close`, `alert.assign`, `alert.comment`) in
// one transaction: a stale revision, or a race lost to another analyst, is a 409 and
// writes nothing. A false-positive verdict stays on the alert row (`verdict`, indexed
// with `closed_at`), where retraining looks for it; once the close is committed, the verdict
// goes to the agents whose scores raised the alert (verdict-feedback/).
import { Injectable } from '@nestjs/common';
import {
  hasPermission,
  MAX_ALERT_COMMENTS,
  type AlertCommentView,
  type AlertTransitionRequest,
  type AlertView,
} from '@wardwatch/shared';
import { AuditService } from '../audit/audit.service';
import { AccountService } from '../auth/account.service';
import { Clock, RandomSource } from '../common/clock';
import { TransactionRunner, type Tx } from '../database/transaction.runner';
import type { AlertCommentEntity } from './alert-comment.entity';
import { AlertCommentRepository } from './alert-comment.repository';
import type { AlertEntity, AlertTriageFields } from './alert.entity';
import { AlertRepository } from './alert.repository';
import { toAlertView } from './alert.service';
import { AlertTriageError } from './alert-triage.errors';
import { VerdictFeedbackService } from './verdict-feedback/verdict-feedback.service';

@Injectable()
export class AlertTriageService {
  constructor(
    private readonly alerts: AlertRepository,
    private readonly comments: AlertCommentRepository,
    private readonly accounts: AccountService,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly random: RandomSource,
    private readonly feedback: VerdictFeedbackService,
  ) {}

  /** Acknowledges, closes or (re)assigns the alert, as `actor`, over the revision the request names. */
  async transition(id: string, actor: string, request: AlertTransitionRequest): Promise<AlertView> {
    const view = await this.change(id, actor, request);
    // After the commit: an agent must never learn from a close that was rolled back.
    if (request.action === 'close') await this.feedback.alertClosed(id);
    return view;
  }

  private change(id: string, actor: string, request: AlertTransitionRequest): Promise<AlertView> {
    return this.transactions.run(async (tx) => {
      const alert = await this.current(id, request.revision, tx);
      const now = this.clock.now();
      switch (request.action) {
        case 'acknowledge': {
          if (alert.status !== 'open') throw notAllowed(alert, 'acknowledge');
          // Acknowledging an alert nobody owns takes it on.
          const changes: Partial<AlertTriageFields> = {
            status: 'acknowledged',
            acknowledgedBy: actor,
            acknowledgedAt: now,
            ...(alert.assignee === null ? { assignee: actor } : {}),
          };
          return this.write(alert, changes, actor, 'alert.acknowledge', { from: 'open' }, tx);
        }
        case 'close': {
          if (alert.status === 'closed') throw notAllowed(alert, 'close');
          const changes: Partial<AlertTriageFields> = {
            status: 'closed',
            closedBy: actor,
            closedAt: now,
            verdict: request.verdict,
          };
          const comment =
            request.comment === undefined ? undefined : await this.addComment(alert.id, actor, request.comment, tx);
          return this.write(
            alert,
            changes,
            actor,
            'alert.close',
            {
              from: alert.status,
              verdict: request.verdict,
              ...(comment ? { commentId: comment.id, comment: comment.body } : {}),
              // What retraining needs to find the scored window again.
              agentId: alert.agentId,
              ...(alert.user === null ? {} : { user: alert.user, windowStart: alert.windowStart }),
              score: alert.score,
              ...(alert.ruleIds ? { rules: alert.ruleIds } : {}),
            },
            tx,
          );
        }
        case 'assign': {
          if (alert.status === 'closed') throw notAllowed(alert, 'reassign');
          if (request.assignee !== null) await this.checkAssignee(request.assignee, tx);
          return this.write(
            alert,
            { assignee: request.assignee },
            actor,
            'alert.assign',
            { from: alert.assignee, to: request.assignee },
            tx,
          );
        }
      }
    });
  }

  /** Adds a comment (any status: a closed alert may still be annotated), audited `alert.comment`. */
  comment(id: string, actor: string, body: string): Promise<AlertCommentView> {
    return this.transactions.run(async (tx) => {
      const alert = await this.alerts.findById(id, tx);
      if (!alert) throw new AlertTriageError('not_found', 'no such alert');
      const comment = await this.addComment(alert.id, actor, body, tx);
      await this.audit.append(
        { actor, action: 'alert.comment', target: id, details: { commentId: comment.id, comment: comment.body } },
        tx,
      );
      return toCommentView(comment);
    });
  }

  /** The alert, if the caller decided on its current revision. */
  private async current(id: string, revision: number, tx: Tx): Promise<AlertEntity> {
    const alert = await this.alerts.findById(id, tx);
    if (!alert) throw new AlertTriageError('not_found', 'no such alert');
    if (alert.revision !== revision) throw stale(alert);
    return alert;
  }

  private async write(
    alert: AlertEntity,
    changes: Partial<AlertTriageFields>,
    actor: string,
    action: string,
    details: Record<string, unknown>,
    tx: Tx,
  ): Promise<AlertView> {
    // Conditional on the revision read above: a concurrent change in between loses here, not silently.
    if (!(await this.alerts.updateTriage(alert.id, alert.revision, changes, tx))) throw stale(alert);
    const next: AlertEntity = { ...alert, ...changes, revision: alert.revision + 1 };
    await this.audit.append(
      { actor, action, target: alert.id, details: { ...details, status: next.status, revision: next.revision } },
      tx,
    );
    return toAlertView(next);
  }

  private async addComment(alertId: string, author: string, body: string, tx: Tx): Promise<AlertCommentEntity> {
    const { count, lastAt } = await this.comments.tally(alertId, tx);
    if (count >= MAX_ALERT_COMMENTS) {
      throw new AlertTriageError(
        'too_many_comments',
        `this alert holds ${MAX_ALERT_COMMENTS} comments, the most it keeps`,
      );
    }
    // Comments are listed by time, then by their random id: one written in the same millisecond as
    // the last is dated a millisecond later, so the thread keeps the order it was written in.
    const createdAt = Math.max(this.clock.now(), lastAt + 1);
    const comment: AlertCommentEntity = { id: this.random.uuid(), alertId, author, createdAt, body };
    await this.comments.insert(comment, tx);
    return comment;
  }

  /** An assignee is an active dashboard user whose role may triage alerts. */
  private async checkAssignee(username: string, tx: Tx): Promise<void> {
    const user = await this.accounts.findByUsername(username, tx);
    if (!user || user.disabledAt !== null || !hasPermission(user.role, 'alerts:triage')) {
      throw new AlertTriageError('unknown_assignee', `"${username}" is not an active user who may triage alerts`);
    }
  }
}

export function toCommentView(c: AlertCommentEntity): AlertCommentView {
  return { id: c.id, author: c.author, createdAt: c.createdAt, body: c.body };
}

function stale(alert: AlertEntity): AlertTriageError {
  return new AlertTriageError(
    'stale_revision',
    `this alert changed while you were looking at it (it is now ${alert.status}); reload it and decide again`,
  );
}

function notAllowed(alert: AlertEntity, step: string): AlertTriageError {
  const by =
    alert.status === 'closed'
      ? ` by ${alert.closedBy ?? 'someone'} as ${alert.verdict ?? 'no verdict'}`
      : alert.status === 'acknowledged'
        ? ` by ${alert.acknowledgedBy ?? 'someone'}`
        : '';
  return new AlertTriageError('invalid_transition', `cannot ${step} this alert: it is already ${alert.status}${by}`);
}
