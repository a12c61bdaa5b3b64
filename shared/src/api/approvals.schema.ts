// The approvals queue of the REST API (/api/v1/approvals): actions a playbook proposed
// that a person must approve before they are sent, with the alert that led to them.
// Exported from the package root beside v1.schema.ts (it builds on its shapes).
import { z } from 'zod';
import { AlertReason, page, SeverityName } from './v1.schema';

export const approvalStates = ['pending', 'approved', 'rejected', 'expired'] as const;
export const ApprovalState = z.enum(approvalStates);
export type ApprovalState = z.infer<typeof ApprovalState>;

/** After the last approval the commands are issued: `issuing` until that is done, then `issued` or `failed`. */
export const IssueState = z.enum(['not_issued', 'issuing', 'issued', 'failed']);
export type IssueState = z.infer<typeof IssueState>;

/** One person's approval or rejection. */
export const ApprovalDecisionView = z.object({
  by: z.string(),
  at: z.number().int(),
  comment: z.string(),
});
export type ApprovalDecisionView = z.infer<typeof ApprovalDecisionView>;

/** One command to be sent once approved: which workstation, which action. */
export const ApprovalTargetView = z.object({
  agentId: z.string(),
  /** The action's name in the contract (`revokeSession`, `blockRemovable`, …). */
  action: z.string(),
  dryRun: z.boolean(),
});
export type ApprovalTargetView = z.infer<typeof ApprovalTargetView>;

export const ApprovalView = z.object({
  id: z.string(),
  summary: z.string(),
  state: ApprovalState,
  createdAt: z.number().int(),
  expiresAt: z.number().int(),
  alertId: z.string().nullable(),
  playbookId: z.string(),
  playbookVersion: z.number().int(),
  /** Why two different people must approve, or null when one is enough. */
  twoPersonReason: z.string().nullable(),
  /** 2 with a two-person reason, else 1. */
  approvalsRequired: z.number().int(),
  /** Who asked for it by hand, when a person did (that person may not approve a two-person one). */
  requestedBy: z.string().nullable(),
  targets: z.array(ApprovalTargetView),
  approvals: z.array(ApprovalDecisionView),
  rejection: ApprovalDecisionView.nullable(),
  issueState: IssueState,
  /** Ids of the commands issued once approved. */
  commandIds: z.array(z.string()),
  /** Why issuing failed, when it did. */
  issueError: z.string().nullable(),
});
export type ApprovalView = z.infer<typeof ApprovalView>;
export const ApprovalPage = page(ApprovalView);
export type ApprovalPage = z.infer<typeof ApprovalPage>;

/** The alert behind a proposal, as the approver needs it: how bad, why, and the events behind it. */
export const ApprovalAlertView = z.object({
  id: z.string(),
  agentId: z.string(),
  severity: SeverityName,
  score: z.number(),
  title: z.string(),
  reasons: z.array(z.string()),
  reasonDetails: z.array(AlertReason).optional(),
  ruleIds: z.array(z.string()).optional(),
  eventIds: z.array(z.string()),
});
export type ApprovalAlertView = z.infer<typeof ApprovalAlertView>;

/** One approval with its alert (null when it has none, or the alert was deleted since). */
export const ApprovalDetail = ApprovalView.extend({ alert: ApprovalAlertView.nullable() });
export type ApprovalDetail = z.infer<typeof ApprovalDetail>;

/** A list filter: one state, or `decided` for approved, rejected and expired together. */
export const ApprovalListState = z.union([ApprovalState, z.literal('decided')]);
export type ApprovalListState = z.infer<typeof ApprovalListState>;

export const ApprovalQuery = z.object({
  state: ApprovalListState.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(256).optional(),
});
export type ApprovalQuery = z.infer<typeof ApprovalQuery>;

export const MAX_DECISION_COMMENT = 1_000;

export const ApproveRequest = z.strictObject({
  comment: z.string().trim().max(MAX_DECISION_COMMENT).default(''),
});
export type ApproveRequest = z.infer<typeof ApproveRequest>;

/** A rejection says why. */
export const RejectRequest = z.strictObject({
  comment: z.string().trim().min(1, 'say why you reject it').max(MAX_DECISION_COMMENT),
});
export type RejectRequest = z.infer<typeof RejectRequest>;
