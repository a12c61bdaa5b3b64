// Re-identification requests. A pseudonym is a keyed hash: it cannot be turned
// back into a name, only compared. So the manager answers two honest questions,
// each with a reason and a case reference that go into the audit trail:
// "which of these candidates is this token?" and "what is the token of this value?".
import { z } from 'zod';
import { parsePseudonym, pseudonymKinds } from '../pseudonyms/token-format';

export const MAX_CANDIDATES = 50;

/** user, path, ip, host, device. */
export const PseudonymKindName = z.enum(pseudonymKinds);
export type PseudonymKindName = z.infer<typeof PseudonymKindName>;

export const PseudonymToken = z
  .string()
  .trim()
  .max(64)
  .refine((token) => parsePseudonym(token) !== undefined, 'not a WardWatch pseudonym (u_…, p_…, ip_…, h_…, d_…)');

const Justification = {
  /** Why this person must be identified, in words an auditor will read later. */
  reason: z.string().trim().min(10, 'give a reason of at least 10 characters').max(500),
  /** The incident, ticket or case this belongs to. */
  caseReference: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9][A-Za-z0-9 ._/#-]*$/, 'letters, digits, space and . _ / # - only'),
};

/** The approved request this answers (two-person rule); absent only on a single-person site. */
const Approval = { approvalId: z.string().trim().min(1).max(64).optional() };

/** A clear value an officer brings (from the hospital directory, a ticket …). */
const Candidate = z.string().trim().min(1).max(1024);

export const ReidentifyMatchRequest = z.strictObject({
  token: PseudonymToken,
  candidates: z.array(Candidate).min(1).max(MAX_CANDIDATES),
  ...Justification,
  ...Approval,
});
export type ReidentifyMatchRequest = z.infer<typeof ReidentifyMatchRequest>;

export const ReidentifyMatchResult = z.object({
  token: z.string(),
  kind: PseudonymKindName,
  /** The candidate whose token this is, as the officer typed it; null when none is. */
  match: z.string().nullable(),
  candidatesChecked: z.number().int(),
  /** Sequence number of the audit record written for this request. */
  auditSeq: z.number().int(),
});
export type ReidentifyMatchResult = z.infer<typeof ReidentifyMatchResult>;

export const PseudonymLookupRequest = z.strictObject({
  kind: PseudonymKindName,
  value: Candidate,
  ...Justification,
  ...Approval,
});
export type PseudonymLookupRequest = z.infer<typeof PseudonymLookupRequest>;

export const PseudonymLookupResult = z.object({
  kind: PseudonymKindName,
  /** The full token for users, addresses, hosts and devices; for a path only `p_*_<mac>`: its class and depth are known only on the workstation. */
  token: z.string(),
  /** True when agents send this value as it is (an OS account such as root, a loopback address, a system program path): nothing to re-identify. */
  inClear: z.boolean(),
  /** For `user`: how many stored events carry this token (search them with GET /api/v1/events?user=…). */
  events: z.number().int().nullable(),
  auditSeq: z.number().int(),
});
export type PseudonymLookupResult = z.infer<typeof PseudonymLookupResult>;
