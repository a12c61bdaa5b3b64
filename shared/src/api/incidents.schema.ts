// Fleet-wide incidents the manager raises itself (manager/src/incidents/): one per
// attacking source (failed logons across accounts and workstations) or per account
// seen on many workstations, updated while the activity goes on, closed after a
// quiet gap. Each names what was observed and links to its evidence events.
import { z } from 'zod';
import { EventView } from './v1.schema';

export const incidentKinds = ['source_failed_logons', 'account_cross_host'] as const;
export const IncidentKind = z.enum(incidentKinds);
export type IncidentKind = z.infer<typeof IncidentKind>;

export const IncidentStatus = z.enum(['open', 'closed']);
export type IncidentStatus = z.infer<typeof IncidentStatus>;

/** One evidence event: an event is keyed by its agent and the agent's event id. */
export const EvidenceRef = z.object({ agentId: z.string(), eventId: z.string() });
export type EvidenceRef = z.infer<typeof EvidenceRef>;

export const IncidentView = z.object({
  id: z.string(),
  kind: IncidentKind,
  /** The source token (`ip_…` or `h_…`) or the account token the incident is about. */
  subject: z.string(),
  status: IncidentStatus,
  firstSeenMs: z.number().int(),
  lastSeenMs: z.number().int(),
  /** Failed logons (or, cross-host, logons and failures) counted. */
  events: z.number().int(),
  failures: z.number().int(),
  /** Distinct accounts (tokens) seen, the list bounded; `accountCount` may exceed it. */
  accounts: z.array(z.string()),
  accountCount: z.number().int(),
  workstations: z.array(z.string()),
  workstationCount: z.number().int(),
  /** The observed counts in words ("286 failed logons against 50 accounts on 20 workstations from ip_… between …"). */
  reason: z.string(),
  /** The first evidence events (bounded); `evidenceCount` counts all of them. */
  evidence: z.array(EvidenceRef),
  evidenceCount: z.number().int(),
  createdMs: z.number().int(),
  updatedMs: z.number().int(),
});
export type IncidentView = z.infer<typeof IncidentView>;

export const IncidentQuery = z.object({
  status: IncidentStatus.optional(),
  kind: IncidentKind.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type IncidentQuery = z.infer<typeof IncidentQuery>;

/** Newest activity first. */
export const IncidentList = z.object({ items: z.array(IncidentView) });
export type IncidentList = z.infer<typeof IncidentList>;

export const IncidentId = z.string().uuid();

/** An incident with its evidence events (those still kept; retention may have deleted older ones). */
export const IncidentDetail = z.object({
  incident: IncidentView,
  events: z.array(EventView),
  /** Evidence events beyond the stored list, counted only. */
  evidenceNotListed: z.number().int(),
});
export type IncidentDetail = z.infer<typeof IncidentDetail>;
