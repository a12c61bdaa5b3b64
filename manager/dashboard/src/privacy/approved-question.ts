// Running an approved re-identification: the manager kept only a digest of the question,
// so the asker sends it again (the same candidates or value, reason and case) with the
// approval's id, and gets the answer once. The token, kind, reason and case come back
// from the stored request; the clear values are what this tab remembers from the ask,
// or what the officer types again after a reload.
import type {
  PseudonymLookupRequest,
  ReidentificationAsk,
  ReidentificationDetails,
  ReidentifyMatchRequest,
} from '@wardwatch/shared';
import { checkLookupForm, checkMatchForm, type Checked } from './reidentify-form';

export type ApprovedQuestion =
  { question: 'match'; request: ReidentifyMatchRequest } | { question: 'lookup'; request: PseudonymLookupRequest };

/** The ask sent for approval (the same fields, named by question; never an approval id). */
export function askOf(question: ApprovedQuestion): ReidentificationAsk {
  const { reason, caseReference } = question.request;
  return question.question === 'match'
    ? {
        question: 'match',
        token: question.request.token,
        candidates: question.request.candidates,
        reason,
        caseReference,
      }
    : { question: 'lookup', kind: question.request.kind, value: question.request.value, reason, caseReference };
}

/** The clear part of a question, as the run form shows it: candidates one per line, or the value. */
export function clearTextOf(question: ApprovedQuestion | undefined): string {
  if (!question) return '';
  return question.question === 'match' ? question.request.candidates.join('\n') : question.request.value;
}

/** The question to answer under approval `approvalId`, from the stored details and the clear text. */
export function approvedQuestion(
  details: ReidentificationDetails,
  clearText: string,
  approvalId: string,
): Checked<ApprovedQuestion> {
  const justification = { reason: details.reason, caseReference: details.caseReference };
  if (details.question === 'match') {
    const checked = checkMatchForm({ token: details.token ?? '', candidates: clearText, ...justification });
    return checked.ok
      ? { ok: true, request: { question: 'match', request: { ...checked.request, approvalId } } }
      : checked;
  }
  const checked = checkLookupForm({ kind: details.pseudonymKind, value: clearText, ...justification });
  return checked.ok
    ? { ok: true, request: { question: 'lookup', request: { ...checked.request, approvalId } } }
    : checked;
}
