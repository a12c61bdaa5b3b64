// Separation of duties: what one person asks and a second person must approve before it
// happens — granting the admin or privacy officer role, and every re-identification.
// The manager keeps the request (never a clear value), the second person decides, and
// the audit trail records the request, the decision, an expiry and the use.
import { z } from 'zod';
import { UserRole } from './access.schema';
import { PseudonymKindName, PseudonymLookupRequest, ReidentifyMatchRequest } from './reidentification.schema';

/** Roles whose grant needs a second admin (unless the site runs as a single-person site). */
export const privilegedRoles = ['admin', 'privacy_officer'] as const satisfies readonly UserRole[];
export function isPrivilegedRole(role: UserRole): boolean {
  return (privilegedRoles as readonly UserRole[]).includes(role);
}

export const DutyRequestKind = z.enum(['role_grant', 'reidentification']);
export type DutyRequestKind = z.infer<typeof DutyRequestKind>;

/** `used`: an approved re-identification whose answer was given (once). */
export const DutyRequestState = z.enum(['pending', 'approved', 'denied', 'expired', 'used']);
export type DutyRequestState = z.infer<typeof DutyRequestState>;

export const RoleGrantDetails = z.object({
  kind: z.literal('role_grant'),
  userId: z.string(),
  username: z.string(),
  /** null: the account was created for this role and stays disabled until the grant is approved. */
  from: UserRole.nullable(),
  to: UserRole,
  reason: z.string().nullable(),
});
export type RoleGrantDetails = z.infer<typeof RoleGrantDetails>;

export const ReidentificationDetails = z.object({
  kind: z.literal('reidentification'),
  question: z.enum(['match', 'lookup']),
  pseudonymKind: PseudonymKindName,
  /** match: the token asked about; lookup: null (the token would tell the approver the answer's key). */
  token: z.string().nullable(),
  candidates: z.number().int().nullable(),
  reason: z.string(),
  caseReference: z.string(),
});
export type ReidentificationDetails = z.infer<typeof ReidentificationDetails>;

export const DutyRequestDetails = z.discriminatedUnion('kind', [RoleGrantDetails, ReidentificationDetails]);
export type DutyRequestDetails = z.infer<typeof DutyRequestDetails>;

export const DutyRequestView = z.object({
  id: z.string(),
  requestedBy: z.string(),
  state: DutyRequestState,
  details: DutyRequestDetails,
  createdAt: z.number().int(),
  /** A pending request past this is expired. */
  expiresAt: z.number().int(),
  decidedBy: z.string().nullable(),
  decidedAt: z.number().int().nullable(),
  /** An approved re-identification may be answered until then, once. */
  usableUntil: z.number().int().nullable(),
});
export type DutyRequestView = z.infer<typeof DutyRequestView>;
export const DutyRequestList = z.object({ items: z.array(DutyRequestView) });
export type DutyRequestList = z.infer<typeof DutyRequestList>;

export const DutyRequestQuery = z.strictObject({ state: DutyRequestState.optional() });
export type DutyRequestQuery = z.infer<typeof DutyRequestQuery>;

/** A denial may say why (it goes to the audit trail). */
export const DutyDenyRequest = z.strictObject({ reason: z.string().trim().max(500).optional() });
export type DutyDenyRequest = z.infer<typeof DutyDenyRequest>;

/** A privacy officer asks a question; another officer approves; then the asker gets its answer once. */
export const ReidentificationAsk = z.discriminatedUnion('question', [
  ReidentifyMatchRequest.omit({ approvalId: true }).extend({ question: z.literal('match') }),
  PseudonymLookupRequest.omit({ approvalId: true }).extend({ question: z.literal('lookup') }),
]);
export type ReidentificationAsk = z.infer<typeof ReidentificationAsk>;
