// The manager's REST contract (/api/v1), shared by the NestJS controllers that
// validate and answer it and the dashboard that calls it. One schema, one shape.
import { z } from 'zod';
import { UserRole } from './access.schema';
import { ReadCounts } from '../local-api/status.schema';

export * from './access.schema';
export * from './reidentification.schema';
export * from './workstation-tags.schema';
export * from './staff-roles.schema';
export * from './forwarding.schema';
export * from './playbook.schema';

export * from './response.schema';

export const severityNames = ['unspecified', 'info', 'low', 'medium', 'high', 'critical'] as const;
export const SeverityName = z.enum(severityNames);
export type SeverityName = z.infer<typeof SeverityName>;

export const eventCategories = ['file', 'login', 'process', 'device', 'network'] as const;
export const EventCategory = z.enum(eventCategories);
export type EventCategory = z.infer<typeof EventCategory>;

/** A page of results; `nextCursor` is absent on the last page. */
export const page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().optional() });

export const LoginRequest = z.object({
  username: z.string().min(1).max(128),
  password: z.string().min(1).max(1024),
});
export type LoginRequest = z.infer<typeof LoginRequest>;

export const CurrentUser = z.object({
  username: z.string(),
  role: UserRole,
  /** Present (true) after a sign-in with a one-time password: only changing it is allowed then. */
  mustChangePassword: z.literal(true).optional(),
  /** Present (true) while the role must use a second factor and the user has none: only enrolling is allowed. */
  mfaEnrollmentRequired: z.literal(true).optional(),
});
export type CurrentUser = z.infer<typeof CurrentUser>;

/** One collector or local service of an agent (`collector.files`, `local-api`, `scoring`). */
export const ComponentHealthView = z.object({
  name: z.string(),
  state: z.enum(['running', 'failed', 'stopped']),
  /** Why it failed; empty when running. */
  message: z.string(),
  /** Since when it is in this state, by the agent's clock. */
  sinceMs: z.number().int(),
});
export type ComponentHealthView = z.infer<typeof ComponentHealthView>;

/** What the agent's last heartbeat said: its queue, its drops since it started and its components. */
export const AgentHealthView = z.object({
  /** When the manager stored that heartbeat (the manager's clock). */
  reportedAt: z.number().int(),
  eventsSent: z.number().int().min(0),
  eventsDropped: z.number().int().min(0),
  /** Events waiting in the agent's outbox, and the bytes it holds on disk. */
  queueLength: z.number().int().min(0),
  outboxBytes: z.number().int().min(0),
  cpuPercent: z.number(),
  rssBytes: z.number().int().min(0),
  /** Drops since the agent last started, by `<reason>.<class>.<category>` (e.g. `queue_full.low.file`). */
  droppedByReason: z.record(z.string(), z.number().int().min(0)),
  components: z.array(ComponentHealthView),
  /** Patient-file reads since the agent started; null where it audits none (see `collector.reads`). */
  reads: ReadCounts.nullable().optional(),
});
export type AgentHealthView = z.infer<typeof AgentHealthView>;

export const AgentView = z.object({
  id: z.string(),
  hostname: z.string(),
  os: z.string(),
  osVersion: z.string(),
  version: z.string(),
  status: z.enum(['online', 'offline', 'revoked']),
  enrolledAt: z.number().int(),
  lastSeenAt: z.number().int().nullable(),
  /**
   * Set when the agent's Hello claimed a host name or OS other than its enrollment's: the
   * claim (null for the part that matched) and when it was first seen. Never applied.
   */
  identityMismatch: z
    .object({ hostname: z.string().nullable(), os: z.string().nullable(), since: z.number().int() })
    .nullable()
    .optional(),
  /** From the agent's last heartbeat; null before the first one. */
  health: AgentHealthView.nullable().optional(),
  /** Set by an admin (PATCH /api/v1/agents/:id); playbooks match on them. */
  tags: z.array(z.string()).optional(),
  unit: z.string().nullable().optional(),
});
export type AgentView = z.infer<typeof AgentView>;
export const AgentPage = page(AgentView);
export type AgentPage = z.infer<typeof AgentPage>;

export const EventView = z.object({
  id: z.string(),
  agentId: z.string(),
  hostname: z.string(),
  timeMs: z.number().int(),
  receivedMs: z.number().int(),
  severity: SeverityName,
  user: z.string(),
  category: EventCategory,
  action: z.string(),
  /** The category's fields as the agent sent them (FileActivity, LoginActivity, ...). */
  detail: z.record(z.string(), z.unknown()),
});
export type EventView = z.infer<typeof EventView>;
export const EventPage = page(EventView);
export type EventPage = z.infer<typeof EventPage>;

const int = z.coerce.number().int();
export const EventQuery = z.object({
  agentId: z.string().max(64).optional(),
  category: EventCategory.optional(),
  action: z.string().max(64).optional(),
  user: z.string().max(256).optional(),
  minSeverity: SeverityName.optional(),
  fromMs: int.min(0).optional(),
  toMs: int.min(0).optional(),
  limit: int.min(1).max(500).default(100),
  cursor: z.string().max(256).optional(),
});
export type EventQuery = z.infer<typeof EventQuery>;

/** GET /api/v1/events/actions: the actions seen among the newest `sampled` events, most frequent first. */
export const EventActionFacets = z.object({
  items: z.array(z.object({ category: EventCategory, action: z.string(), count: z.number().int().min(0) })),
  sampled: z.number().int().min(0),
});
export type EventActionFacets = z.infer<typeof EventActionFacets>;

/** A plain-language reason of a risk score, with the figures behind it when it has them. */
export const AlertReason = z.object({
  text: z.string(),
  source: z.enum(['rule', 'baseline', 'model', 'context']),
  feature: z.string().optional(),
  ruleId: z.string().optional(),
  /** The window's value (or a rule's count) and the user's usual value. */
  value: z.number().optional(),
  usual: z.number().optional(),
});
export type AlertReason = z.infer<typeof AlertReason>;

/**
 * What raised an alert: `behaviour` (an agent's risk score or a single event) or
 * `agent_silent` (the manager heard nothing from an enrolled agent for too long) or
 * `audit_chain` (the scheduled verification found the audit trail altered) or `agent_blind` (an agent
 * heard from says its audit of patient data failed: auditd stopped, read rules removed).
 */
export const alertKinds = ['behaviour', 'agent_silent', 'audit_chain', 'sign_in_spray', 'agent_blind'] as const;
export const AlertKind = z.enum(alertKinds);
export type AlertKind = z.infer<typeof AlertKind>;

export const alertStatuses = ['open', 'acknowledged', 'closed'] as const;
export const AlertStatus = z.enum(alertStatuses);
export type AlertStatus = z.infer<typeof AlertStatus>;

/** How an analyst closed an alert; `false_positive` ones are what retraining looks for. */
export const alertVerdicts = ['true_positive', 'false_positive', 'benign'] as const;
export const AlertVerdict = z.enum(alertVerdicts);
export type AlertVerdict = z.infer<typeof AlertVerdict>;

export const AlertView = z.object({
  id: z.string(),
  agentId: z.string(),
  createdAt: z.number().int(),
  severity: SeverityName,
  score: z.number().min(0).max(100),
  title: z.string(),
  reasons: z.array(z.string()),
  status: AlertStatus,
  eventIds: z.array(z.string()),
  kind: AlertKind.optional(),
  // Triage (alert-triage.schema.ts): the revision a change must name, who owns it, how it ended.
  revision: z.number().int().optional(),
  assignee: z.string().nullable().optional(),
  acknowledgedBy: z.string().nullable().optional(),
  acknowledgedAt: z.number().int().nullable().optional(),
  closedBy: z.string().nullable().optional(),
  closedAt: z.number().int().nullable().optional(),
  verdict: AlertVerdict.nullable().optional(),
  // Present on alerts raised from an agent's risk score:
  /** Pseudonym of the user whose behaviour was scored. */
  user: z.string().optional(),
  windowStart: z.number().int().optional(),
  windowEnd: z.number().int().optional(),
  /** The alert threshold the agent applied. */
  threshold: z.number().optional(),
  /** "own" (trained on the workstation), "fleet" (from the manager) or "none" (rules and baselines only). */
  modelSource: z.string().optional(),
  reasonDetails: z.array(AlertReason).optional(),
  ruleIds: z.array(z.string()).optional(),
  /** 0–1: how unlike its owner the window's least owner-like session was (the agent's behavioural fingerprint). */
  identityMismatch: z.number().min(0).max(1).optional(),
  /** Last time a later score of the same window raised it. */
  updatedAt: z.number().int().optional(),
});
export type AlertView = z.infer<typeof AlertView>;
export const AlertPage = page(AlertView);
export type AlertPage = z.infer<typeof AlertPage>;

/** One window of one user's behaviour as an agent scored it (every score, not only alerts). */
export const ScoreView = z.object({
  id: z.string(),
  agentId: z.string(),
  user: z.string(),
  windowStart: z.number().int(),
  windowEnd: z.number().int(),
  score: z.number().min(0).max(100),
  threshold: z.number(),
  severity: SeverityName,
  modelSource: z.string(),
  baselineSource: z.string(),
  /** Scored before the window closed, because a rule hit. */
  partial: z.boolean(),
  reasons: z.array(AlertReason),
  ruleIds: z.array(z.string()),
  scoredAt: z.number().int(),
  alertId: z.string().nullable(),
});
export type ScoreView = z.infer<typeof ScoreView>;
export const ScorePage = page(ScoreView);
export type ScorePage = z.infer<typeof ScorePage>;
export const ScoreQuery = z.object({
  agentId: z.string().max(64).optional(),
  user: z.string().max(256).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().max(256).optional(),
});
export type ScoreQuery = z.infer<typeof ScoreQuery>;

export const EnrollmentTokenRequest = z.object({
  /** Minutes until the token expires. */
  ttlMinutes: z
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60)
    .default(60),
});
export const EnrollmentTokenView = z.object({
  token: z.string(),
  expiresAt: z.number().int(),
});
export type EnrollmentTokenView = z.infer<typeof EnrollmentTokenView>;

export const Health = z.object({
  status: z.enum(['ok', 'degraded']),
  database: z.enum(['sqlite', 'postgres']),
  version: z.string(),
  uptimeSeconds: z.number(),
});
export type Health = z.infer<typeof Health>;
