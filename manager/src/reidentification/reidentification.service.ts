// Ties a pseudonym to a person, explicitly and on the record. A token is a keyed
// hash and cannot be reversed, so the two questions answered are ones the site
// key can settle: "which of these candidates is this token?" (match) and "what
// is the token of this value?" (lookup). Each request — answered, malformed or
// over the rate limit — is written to the audit log with who asked, why, under
// which case and for which token. Clear values are never written anywhere: not
// to the audit log (the token is what identifies the subject there; an auditor
// who must know who it was asks the same audited question again), not to a log line.
// Two people: unless the site runs as a single-person site, a question is answered only
// under an approval another privacy officer gave for exactly that question
// (reidentification-requests.service.ts), once, by the officer who asked, within its window.
import { Injectable } from '@nestjs/common';
import {
  PseudonymLookupRequest,
  ReidentifyMatchRequest,
  type PseudonymLookupResult,
  type ReidentifyMatchResult,
} from '@wardwatch/shared';
import { parsePseudonym } from '@wardwatch/shared/pseudonyms';
import type { z } from 'zod';
import { AuditService } from '../audit/audit.service';
import { TransactionRunner, type Tx } from '../database/transaction.runner';
import { DutyRequestError } from '../duty-requests/duty-request.errors';
import { DutyRequestService } from '../duty-requests/duty-request.service';
import { QuestionBinding } from './question-binding';
import { EventQueryService } from '../events/event-query.service';
import { ReidentificationError } from './reidentification.errors';
import { ReidentificationRateLimiter } from './reidentification.rate-limiter';
import { SitePseudonyms } from './site-pseudonyms';

type Question = 'match' | 'lookup';

@Injectable()
export class ReidentificationService {
  constructor(
    private readonly pseudonyms: SitePseudonyms,
    private readonly limiter: ReidentificationRateLimiter,
    private readonly audit: AuditService,
    private readonly events: EventQueryService,
    private readonly duties: DutyRequestService,
    private readonly binding: QuestionBinding,
    private readonly transactions: TransactionRunner,
  ) {}

  async match(actor: string, body: unknown): Promise<ReidentifyMatchResult> {
    const request = await this.admit(actor, 'match', ReidentifyMatchRequest, body);
    const parsed = parsePseudonym(request.token)!; // the schema accepted only parseable tokens
    const { record, match } = await this.answered(
      actor,
      'match',
      request,
      () => this.binding.ofMatch(request),
      async (approval, tx) => {
        const found = request.candidates.find((c) => this.pseudonyms.matches(parsed.kind, parsed.mac, c)) ?? null;
        const record = await this.audit.append(
          {
            actor,
            action: 'reidentification.match',
            target: request.token,
            details: {
              kind: parsed.kind,
              reason: request.reason,
              caseReference: request.caseReference,
              candidates: request.candidates.length,
              matched: found !== null,
              ...approval,
            },
          },
          tx,
        );
        return { record, match: found };
      },
    );
    return {
      token: request.token,
      kind: parsed.kind,
      match,
      candidatesChecked: request.candidates.length,
      auditSeq: record.seq,
    };
  }

  async lookup(actor: string, body: unknown): Promise<PseudonymLookupResult> {
    const request = await this.admit(actor, 'lookup', PseudonymLookupRequest, body);
    const { token, inClear } = this.pseudonyms.tokenOf(request.kind, request.value);
    const events = request.kind === 'user' ? await this.events.countForUser(token) : null;
    const record = await this.answered(
      actor,
      'lookup',
      request,
      () => this.binding.ofLookup(request),
      (approval, tx) =>
        this.audit.append(
          {
            actor,
            action: 'reidentification.lookup',
            target: token,
            // A value agents send in clear is no one's identity (root, 127.0.0.1): naming it in the record hides nothing.
            details: {
              kind: request.kind,
              reason: request.reason,
              caseReference: request.caseReference,
              events,
              inClear,
              ...approval,
            },
          },
          tx,
        ),
    );
    return { kind: request.kind, token, inClear, events, auditSeq: record.seq };
  }

  /**
   * Answers under the request's approval (used up in the answer's transaction), or alone
   * on a single-person site; a question without an approval elsewhere is refused, audited.
   */
  private async answered<T>(
    actor: string,
    question: Question,
    request: { approvalId?: string },
    bindingOf: () => string,
    answer: (approval: Record<string, unknown>, tx: Tx) => Promise<T>,
  ): Promise<T> {
    const approvalId = request.approvalId;
    if (approvalId === undefined) {
      const singlePersonReason = this.duties.singlePersonReason;
      if (singlePersonReason === undefined) {
        await this.audit.append({
          actor,
          action: 'reidentification.refused',
          target: '-',
          details: { question, why: 'approval_required' },
        });
        throw new DutyRequestError(
          'approval_required',
          'a second privacy officer must approve this question first: ask through /api/v1/reidentification/requests',
        );
      }
      return this.transactions.run((tx) => answer({ singlePersonSite: true, singlePersonReason }, tx));
    }
    return this.duties.use(approvalId, actor, bindingOf(), (approval, tx) =>
      answer({ approvalId, approvedBy: approval.decidedBy }, tx),
    );
  }

  /** Rate limit, then validation; both refusals are audited (with field names only, never values). */
  private async admit<S extends z.ZodType>(
    actor: string,
    question: Question,
    schema: S,
    body: unknown,
  ): Promise<z.infer<S>> {
    const target = tokenField(body);
    const wait = this.limiter.take(actor);
    if (wait > 0) {
      await this.audit.append({
        actor,
        action: 'reidentification.refused',
        target,
        details: { question, why: 'rate_limited' },
      });
      throw new ReidentificationError(
        'rate_limited',
        `too many re-identification requests; try again in ${Math.ceil(wait / 60_000)} minutes`,
      );
    }
    const parsed = schema.safeParse(body ?? {});
    if (!parsed.success) {
      const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`);
      await this.audit.append({
        actor,
        action: 'reidentification.refused',
        target,
        details: { question, why: 'invalid_request', fields: parsed.error.issues.map((i) => i.path.join('.')) },
      });
      throw new ReidentificationError('invalid_input', `invalid request: ${issues.slice(0, 5).join('; ')}`);
    }
    return parsed.data;
  }
}

/** The token a request names, for the audit record of a refusal — only if it is one. */
function tokenField(body: unknown): string {
  const token = typeof body === 'object' && body !== null && 'token' in body ? body.token : undefined;
  return typeof token === 'string' && parsePseudonym(token.trim()) ? token.trim() : '-';
}
