// What ties an approved re-identification to the one question it was approved for,
// without storing a clear value: a SHA-256 over the question in which every clear
// value is replaced by its site-keyed token. Without the site key, the stored digest
// cannot be tested against a staff list; with the same question it is the same digest.
import { Injectable } from '@nestjs/common';
import type { PseudonymLookupRequest, ReidentifyMatchRequest } from '@wardwatch/shared';
import { parsePseudonym } from '@wardwatch/shared/pseudonyms';
import { createHash } from 'node:crypto';
import { SitePseudonyms } from './site-pseudonyms';

type Justified = { reason: string; caseReference: string };

@Injectable()
export class QuestionBinding {
  constructor(private readonly pseudonyms: SitePseudonyms) {}

  ofMatch(request: Omit<ReidentifyMatchRequest, 'approvalId'>): string {
    const kind = parsePseudonym(request.token)!.kind; // the schema accepted only parseable tokens
    const candidates = request.candidates.map((candidate) => this.pseudonyms.tokenOf(kind, candidate).token).sort();
    return digest(['match', request.token, candidates, justification(request)]);
  }

  ofLookup(request: Omit<PseudonymLookupRequest, 'approvalId'>): string {
    const { token } = this.pseudonyms.tokenOf(request.kind, request.value);
    return digest(['lookup', request.kind, token, justification(request)]);
  }
}

function justification(request: Justified): [string, string] {
  return [request.reason, request.caseReference];
}

function digest(parts: unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}
