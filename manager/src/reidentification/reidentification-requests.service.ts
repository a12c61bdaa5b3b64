// The first half of a re-identification under the two-person rule: a privacy officer
// asks (the question, a reason, a case reference), another privacy officer approves or
// denies (admins cannot: they hold no `reidentify`, so account management and unmasking
// stay with different people). The approver sees the token asked about, the reason,
// the case and how many candidates — never the candidates, nor the value looked up:
// the stored request holds only a digest under the site key (question-binding.ts).
import { Injectable } from '@nestjs/common';
import {
  ReidentificationAsk,
  type DutyRequestState,
  type DutyRequestView,
  type ReidentificationDetails,
} from '@wardwatch/shared';
import { parsePseudonym } from '@wardwatch/shared/pseudonyms';
import { AuditService } from '../audit/audit.service';
import { TransactionRunner } from '../database/transaction.runner';
import { DutyRequestService, dutyRequestView, type Decision } from '../duty-requests/duty-request.service';
import { QuestionBinding } from './question-binding';
import { ReidentificationError } from './reidentification.errors';
import { ReidentificationRateLimiter } from './reidentification.rate-limiter';

@Injectable()
export class ReidentificationRequestsService {
  constructor(
    private readonly duties: DutyRequestService,
    private readonly binding: QuestionBinding,
    private readonly limiter: ReidentificationRateLimiter,
    private readonly audit: AuditService,
    private readonly transactions: TransactionRunner,
  ) {}

  /** Stores the question pending (audited); refusals (rate, malformed) audited with field names only. */
  async ask(actor: string, body: unknown): Promise<DutyRequestView> {
    const wait = this.limiter.take(actor);
    if (wait > 0) {
      await this.audit.append({
        actor,
        action: 'reidentification.refused',
        target: '-',
        details: { question: 'ask', why: 'rate_limited' },
      });
      throw new ReidentificationError(
        'rate_limited',
        `too many re-identification requests; try again in ${Math.ceil(wait / 60_000)} minutes`,
      );
    }
    const parsed = ReidentificationAsk.safeParse(body ?? {});
    if (!parsed.success) {
      await this.audit.append({
        actor,
        action: 'reidentification.refused',
        target: '-',
        details: { question: 'ask', why: 'invalid_request', fields: parsed.error.issues.map((i) => i.path.join('.')) },
      });
      const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`);
      throw new ReidentificationError('invalid_input', `invalid request: ${issues.slice(0, 5).join('; ')}`);
    }
    const ask = parsed.data;
    const details: ReidentificationDetails =
      ask.question === 'match'
        ? {
            kind: 'reidentification',
            question: 'match',
            pseudonymKind: parsePseudonym(ask.token)!.kind,
            token: ask.token,
            candidates: ask.candidates.length,
            reason: ask.reason,
            caseReference: ask.caseReference,
          }
        : {
            kind: 'reidentification',
            question: 'lookup',
            pseudonymKind: ask.kind,
            token: null,
            candidates: null,
            reason: ask.reason,
            caseReference: ask.caseReference,
          };
    const binding = ask.question === 'match' ? this.binding.ofMatch(ask) : this.binding.ofLookup(ask);
    const request = await this.transactions.run((tx) =>
      this.duties.open(
        { requestedBy: actor, excludedApprover: null, details, binding, target: details.token ?? '-' },
        tx,
      ),
    );
    return dutyRequestView(request);
  }

  list(state?: DutyRequestState): Promise<DutyRequestView[]> {
    return this.duties.list('reidentification', state);
  }

  decide(id: string, actor: string, decision: Decision, reason?: string): Promise<DutyRequestView> {
    return this.duties.decide('reidentification', id, actor, decision, reason);
  }
}
