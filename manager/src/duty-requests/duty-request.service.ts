// The second-person rule, in one place, for whatever needs it (users/ for privileged role
// grants, reidentification/ for every re-identification). A request is stored pending; a
// different person — never the requester, never the account a role is for — approves or
// denies it before it expires; an approved re-identification is then used once, by its
// requester, within the answer window. Every step and every refusal is audited: a step
// in the same transaction as its change, a refusal on its own (the refused change is
// rolled back, its record must stay).
import { Inject, Injectable } from '@nestjs/common';
import type { DutyRequestDetails, DutyRequestKind, DutyRequestState, DutyRequestView } from '@wardwatch/shared';
import { AuditService } from '../audit/audit.service';
import { Clock, RandomSource } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { MANAGER_CONFIG, type DutiesConfig } from '../config/config.schema';
import { TransactionRunner, type Tx } from '../database/transaction.runner';
import type { DutyRequestEntity } from './duty-request.entity';
import { DutyRequestError } from './duty-request.errors';
import { DutyRequestRepository } from './duty-request.repository';

export interface OpenDutyRequest {
  requestedBy: string;
  /** Besides the requester, who may not approve (the account a role is for). */
  excludedApprover: string | null;
  details: DutyRequestDetails;
  /** What a later use must present (a digest, never a clear value). */
  binding: string | null;
  /** The audit record's target (a username, a token). */
  target: string;
}

export type Decision = 'approve' | 'deny';

/** Runs inside the approving transaction; throws a DomainError when the request no longer applies. */
export type ApplyApproval = (request: DutyRequestEntity, tx: Tx) => Promise<void>;

const EXPIRE_BATCH = 100;

export function dutyRequestView(request: DutyRequestEntity): DutyRequestView {
  return {
    id: request.id,
    requestedBy: request.requestedBy,
    state: request.state,
    details: request.details,
    createdAt: request.createdAt,
    expiresAt: request.expiresAt,
    decidedBy: request.decidedBy,
    decidedAt: request.decidedAt,
    usableUntil: request.usableUntil,
  };
}

@Injectable()
export class DutyRequestService {
  constructor(
    private readonly requests: DutyRequestRepository,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly random: RandomSource,
    @Inject(MANAGER_CONFIG) private readonly config: { duties: DutiesConfig },
  ) {}

  /** Set on a single-person site: why one person may act alone (goes into each such audit record). */
  get singlePersonReason(): string | undefined {
    return this.config.duties.singlePersonReason;
  }

  /** Stores a pending request and audits it, in the caller's transaction. */
  async open(input: OpenDutyRequest, tx: Tx): Promise<DutyRequestEntity> {
    const now = this.clock.now();
    const request: DutyRequestEntity = {
      id: this.random.uuid(),
      kind: input.details.kind,
      requestedBy: input.requestedBy,
      excludedApprover: input.excludedApprover,
      details: input.details,
      binding: input.binding,
      state: 'pending',
      createdAt: now,
      expiresAt: now + this.config.duties.requestTtlMs,
      decidedBy: null,
      decidedAt: null,
      usableUntil: null,
    };
    await this.requests.insert(request, tx);
    await this.audit.append(
      {
        actor: input.requestedBy,
        action: 'duty.requested',
        target: input.target,
        details: { id: request.id, ...input.details, expiresAt: request.expiresAt },
      },
      tx,
    );
    return request;
  }

  async list(kind: DutyRequestKind, state?: DutyRequestState): Promise<DutyRequestView[]> {
    return (await this.requests.list(kind, state)).map(dutyRequestView);
  }

  /**
   * A second person approves or denies. Refused (and audited) when the decider is the
   * requester or the excluded account, the request is not pending, or it has expired
   * (then it is marked expired). `apply` makes an approval take effect in the same transaction.
   */
  async decide(
    kind: DutyRequestKind,
    id: string,
    actor: string,
    decision: Decision,
    reason: string | undefined,
    apply?: ApplyApproval,
  ): Promise<DutyRequestView> {
    const request = await this.requests.findById(id);
    if (!request || request.kind !== kind) throw new DutyRequestError('not_found', 'no such request');
    const now = this.clock.now();
    if (request.state === 'pending' && request.expiresAt <= now) {
      await this.expire(request);
      return this.refuse(request, actor, decision, new DutyRequestError('expired', 'this request has expired'));
    }
    if (request.state !== 'pending') {
      return this.refuse(
        request,
        actor,
        decision,
        new DutyRequestError('not_pending', `this request is ${request.state}`),
      );
    }
    if (actor === request.requestedBy || actor === request.excludedApprover) {
      const who = actor === request.requestedBy ? 'made this request' : 'are the account it is for';
      return this.refuse(
        request,
        actor,
        decision,
        new DutyRequestError('second_person_required', `a second person must decide: you ${who}`),
      );
    }
    const state: DutyRequestState = decision === 'approve' ? 'approved' : 'denied';
    const usableUntil =
      decision === 'approve' && kind === 'reidentification' ? now + this.config.duties.answerWindowMs : null;
    try {
      await this.transactions.run(async (tx) => {
        const changed = await this.requests.updateFrom(
          id,
          'pending',
          { state, decidedBy: actor, decidedAt: now, usableUntil },
          tx,
        );
        if (!changed) throw new DutyRequestError('not_pending', 'this request was decided meanwhile');
        if (decision === 'approve' && apply) await apply(request, tx);
        await this.audit.append(
          {
            actor,
            action: decision === 'approve' ? 'duty.approved' : 'duty.denied',
            target: request.requestedBy,
            details: { id, kind, requestedBy: request.requestedBy, ...(reason ? { reason } : {}), usableUntil },
          },
          tx,
        );
      });
    } catch (error) {
      if (error instanceof DomainError) return this.refuse(request, actor, decision, error);
      throw error;
    }
    return dutyRequestView({ ...request, state, decidedBy: actor, decidedAt: now, usableUntil });
  }

  /**
   * The requester uses an approved re-identification: once, within its window, for the
   * question it was approved for (`binding`). `answer` runs in the transaction that marks
   * it used (and writes its audit row there); a refusal is audited and thrown.
   */
  async use<T>(
    id: string,
    actor: string,
    binding: string,
    answer: (request: DutyRequestEntity, tx: Tx) => Promise<T>,
  ): Promise<T> {
    const request = await this.requests.findById(id);
    const refusal = this.checkUse(request, actor, binding);
    if (refusal) {
      await this.audit.append({
        actor,
        action: 'duty.refused',
        target: id,
        details: { id, step: 'use', why: refusal.code },
      });
      throw refusal;
    }
    return this.transactions.run(async (tx) => {
      if (!(await this.requests.updateFrom(id, 'approved', { state: 'used' }, tx))) {
        throw new DutyRequestError('not_usable', 'this approval was used meanwhile');
      }
      return answer({ ...request!, state: 'used' }, tx);
    });
  }

  /** Marks pending requests past their expiry `expired`, each audited; returns how many. */
  async expireDue(): Promise<number> {
    const due = await this.requests.duePending(this.clock.now(), EXPIRE_BATCH);
    let expired = 0;
    for (const request of due) if (await this.expire(request)) expired += 1;
    return expired;
  }

  private checkUse(request: DutyRequestEntity | null, actor: string, binding: string): DutyRequestError | undefined {
    if (!request || request.kind !== 'reidentification') return new DutyRequestError('not_found', 'no such approval');
    if (request.requestedBy !== actor) {
      return new DutyRequestError('approval_required', 'this approval was given to another person');
    }
    if (request.state !== 'approved') return new DutyRequestError('not_usable', `this request is ${request.state}`);
    if (request.usableUntil === null || request.usableUntil <= this.clock.now()) {
      return new DutyRequestError('not_usable', 'the time to use this approval has passed; ask again');
    }
    if (request.binding !== binding) {
      return new DutyRequestError('does_not_match', 'this approval was given for another question');
    }
    return undefined;
  }

  private async expire(request: DutyRequestEntity): Promise<boolean> {
    return this.transactions.run(async (tx) => {
      if (!(await this.requests.updateFrom(request.id, 'pending', { state: 'expired' }, tx))) return false;
      await this.audit.append(
        {
          actor: 'system',
          action: 'duty.expired',
          target: request.requestedBy,
          details: { id: request.id, kind: request.kind, expiresAt: request.expiresAt },
        },
        tx,
      );
      return true;
    });
  }

  private async refuse(
    request: DutyRequestEntity,
    actor: string,
    decision: Decision,
    error: DomainError,
  ): Promise<never> {
    await this.audit.append({
      actor,
      action: 'duty.refused',
      target: request.requestedBy,
      details: { id: request.id, kind: request.kind, step: decision, why: error.code },
    });
    throw error;
  }
}
