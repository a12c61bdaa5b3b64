// Alert triage in the REST API (/api/v1/alerts/:id…): the detail an analyst reads
// (reasons, ATT&CK techniques, evidence events, related alerts, score history,
// comments) and the workflow: open → acknowledged → closed with a verdict, an
// assignee and comments. Every change names the revision it was decided on, so two
// people triaging at once get a 409 instead of overwriting each other.
// Exported from the package root beside v1.schema.ts (it builds on its shapes).
import { z } from 'zod';
import { Username } from './access.schema';
import { AlertStatus, AlertVerdict, AlertView, EventView, SeverityName } from './v1.schema';

/** A comment is plain text, at most this long. */
export const MAX_ALERT_COMMENT_LENGTH = 2_000;
/** Comments an alert keeps; past this one more is refused (409). */
export const MAX_ALERT_COMMENTS = 200;

const CommentText = z.string().trim().min(1).max(MAX_ALERT_COMMENT_LENGTH);
/** The alert's revision the change was decided on (AlertView.revision). */
const Revision = z
  .number()
  .int()
  .min(1)
  .max(2 ** 31 - 1);

/** POST /api/v1/alerts/:id/transitions. */
export const AlertTransitionRequest = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('acknowledge'), revision: Revision }),
  z.strictObject({
    action: z.literal('close'),
    revision: Revision,
    verdict: AlertVerdict,
    /** Why, stored as the alert's comment with the close. */
    comment: CommentText.optional(),
  }),
  /** null unassigns. */
  z.strictObject({ action: z.literal('assign'), revision: Revision, assignee: Username.nullable() }),
]);
export type AlertTransitionRequest = z.infer<typeof AlertTransitionRequest>;

/** POST /api/v1/alerts/:id/comments. */
export const AlertCommentRequest = z.strictObject({ body: CommentText });
export type AlertCommentRequest = z.infer<typeof AlertCommentRequest>;

export const AlertCommentView = z.object({
  id: z.string(),
  author: z.string(),
  createdAt: z.number().int(),
  body: z.string(),
});
export type AlertCommentView = z.infer<typeof AlertCommentView>;

export const AttackTechniqueView = z.object({
  id: z.string(),
  name: z.string(),
  tactic: z.string(),
  /** The rule that fired and carries it. */
  ruleId: z.string(),
});
export type AttackTechniqueView = z.infer<typeof AttackTechniqueView>;

/** Why an alert is listed as related: it shares the user, the workstation or a source address or host. */
export const AlertRelation = z.enum(['user', 'workstation', 'source']);
export type AlertRelation = z.infer<typeof AlertRelation>;

export const RelatedAlertView = z.object({
  id: z.string(),
  createdAt: z.number().int(),
  severity: SeverityName,
  score: z.number(),
  title: z.string(),
  status: AlertStatus,
  agentId: z.string(),
  user: z.string().optional(),
  relations: z.array(AlertRelation),
});
export type RelatedAlertView = z.infer<typeof RelatedAlertView>;

/** One scored window of the alert's user (or workstation) around the alert. */
export const ScorePointView = z.object({
  windowStart: z.number().int(),
  windowEnd: z.number().int(),
  score: z.number(),
  threshold: z.number(),
  /** The score is this alert's (it raised or grew it). */
  thisAlert: z.boolean(),
});
export type ScorePointView = z.infer<typeof ScorePointView>;

export const AlertDetail = z.object({
  alert: AlertView,
  techniques: z.array(AttackTechniqueView),
  evidence: z.object({
    /** `linked`: the alert's own events; `window`: the user's or workstation's events in its window. */
    source: z.enum(['linked', 'window', 'none']),
    events: z.array(EventView),
    /** More events exist than are shown. */
    truncated: z.boolean(),
  }),
  related: z.array(RelatedAlertView),
  scoreHistory: z.array(ScorePointView),
  comments: z.array(AlertCommentView),
  /** Who it may be assigned to: active users whose role may triage alerts. */
  assignees: z.array(z.string()),
});
export type AlertDetail = z.infer<typeof AlertDetail>;
