// The re-identification forms' logic, apart from React: reading the fields into
// the shared request schemas, so the officer sees what is wrong before anything
// is sent (the manager checks again, and audits what it refuses).
import { PseudonymLookupRequest, ReidentifyMatchRequest, MAX_CANDIDATES } from '@wardwatch/shared';
import type { z } from 'zod';

export type Checked<T> = { ok: true; request: T } | { ok: false; problems: string[] };

const labels: Record<string, string> = {
  token: 'Pseudonym',
  candidates: 'Candidates',
  reason: 'Reason',
  caseReference: 'Case reference',
  kind: 'Kind',
  value: 'Value',
};

/** One candidate per line; blank lines and repeats dropped, order kept. */
export function candidatesFromText(text: string): string[] {
  const seen = new Set<string>();
  for (const line of text.split(/\r?\n/)) {
    const candidate = line.trim();
    if (candidate) seen.add(candidate);
  }
  return [...seen];
}

function check<S extends z.ZodType>(schema: S, input: unknown): Checked<z.infer<S>> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return { ok: true, request: parsed.data };
  const problems = parsed.error.issues.map((issue) => {
    const field = String(issue.path[0] ?? '');
    return `${labels[field] ?? (field || 'Form')}: ${issue.message}`;
  });
  return { ok: false, problems: [...new Set(problems)] };
}

export interface MatchFields {
  token: string;
  candidates: string;
  reason: string;
  caseReference: string;
}

export function checkMatchForm(fields: MatchFields): Checked<ReidentifyMatchRequest> {
  const candidates = candidatesFromText(fields.candidates);
  if (candidates.length > MAX_CANDIDATES)
    return { ok: false, problems: [`Candidates: at most ${MAX_CANDIDATES} per request, ${candidates.length} given`] };
  return check(ReidentifyMatchRequest, {
    token: fields.token.trim(),
    candidates,
    reason: fields.reason,
    caseReference: fields.caseReference,
  });
}

export interface LookupFields {
  kind: string;
  value: string;
  reason: string;
  caseReference: string;
}

export function checkLookupForm(fields: LookupFields): Checked<PseudonymLookupRequest> {
  return check(PseudonymLookupRequest, fields);
}
