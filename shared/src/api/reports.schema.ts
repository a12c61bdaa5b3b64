// Reports (manager/src/reports/): the HIPAA §164.312 evidence report for a period, an
// incident report per alert or incident with its breach-notification clock, and the
// exports of alerts and of one timeline. The JSON shapes here are what the dashboard
// reads; the HTML and PDF files are rendered from the same data by the manager.
import { z } from 'zod';

const DAY_MS = 86_400_000;
const timeMs = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** A report period may span at most this long (a year and a day). */
export const MAX_REPORT_PERIOD_MS = 366 * DAY_MS;
/** Days from discovery within which a breach must be notified (45 CFR §164.404(b)). */
export const BREACH_NOTIFICATION_DAYS = 60;
/** Alerts one export holds at most (newest first). */
export const ALERT_EXPORT_MAX_ROWS = 10_000;
/** Timeline entries one incident report holds at most. */
export const MAX_TIMELINE_ENTRIES = 1_000;

export const reportFormats = ['json', 'html', 'pdf'] as const;
export const ReportFormat = z.enum(reportFormats);
export type ReportFormat = z.infer<typeof ReportFormat>;

export const exportFormats = ['csv', 'json'] as const;
export const ExportFormat = z.enum(exportFormats);
export type ExportFormat = z.infer<typeof ExportFormat>;

/** A period [fromMs, toMs]; both default to the last 30 days, ending now. */
const period = { fromMs: timeMs.optional(), toMs: timeMs.optional() };
type PeriodInput = { fromMs?: number; toMs?: number };
const ordered = (p: PeriodInput) => p.fromMs === undefined || p.toMs === undefined || p.fromMs <= p.toMs;
const spanOk = (p: PeriodInput) =>
  p.fromMs === undefined || p.toMs === undefined || p.toMs - p.fromMs <= MAX_REPORT_PERIOD_MS;
const ORDER_MESSAGE = { message: 'fromMs must not be after toMs', path: ['fromMs'] };
const SPAN_MESSAGE = { message: 'the period may span at most 366 days', path: ['toMs'] };

/** GET /api/v1/reports/hipaa. */
export const HipaaReportQuery = z
  .strictObject({ ...period, format: ReportFormat.default('json') })
  .refine(ordered, ORDER_MESSAGE)
  .refine(spanOk, SPAN_MESSAGE);
export type HipaaReportQuery = z.infer<typeof HipaaReportQuery>;

/** GET /api/v1/reports/alerts/:id and /incidents/:id. */
export const IncidentReportQuery = z.strictObject({ format: ReportFormat.default('json') });
export type IncidentReportQuery = z.infer<typeof IncidentReportQuery>;

/** GET /api/v1/reports/alerts/export: the period's alerts, newest first. */
export const AlertExportQuery = z
  .strictObject({ ...period, format: ExportFormat.default('csv') })
  .refine(ordered, ORDER_MESSAGE)
  .refine(spanOk, SPAN_MESSAGE);
export type AlertExportQuery = z.infer<typeof AlertExportQuery>;

/** GET /api/v1/reports/alerts/:id/timeline and /incidents/:id/timeline. */
export const TimelineExportQuery = z.strictObject({ format: ExportFormat.default('csv') });
export type TimelineExportQuery = z.infer<typeof TimelineExportQuery>;

export const EvidenceItem = z.object({ label: z.string(), value: z.union([z.number(), z.string()]) });
export type EvidenceItem = z.infer<typeof EvidenceItem>;

/** One implementation specification (or the standard itself): what WardWatch does, what the data shows, what falls short. */
export const SafeguardPart = z.object({
  title: z.string(),
  does: z.array(z.string()),
  evidence: z.array(EvidenceItem),
  gaps: z.array(z.string()),
});
export type SafeguardPart = z.infer<typeof SafeguardPart>;

export const safeguardIds = [
  'access_control',
  'audit_controls',
  'integrity',
  'authentication',
  'transmission',
] as const;
export const Safeguard = z.object({
  id: z.enum(safeguardIds),
  /** "§164.312(a)(1)" */
  section: z.string(),
  title: z.string(),
  parts: z.array(SafeguardPart),
});
export type Safeguard = z.infer<typeof Safeguard>;

export const HipaaReport = z.object({
  generatedAt: z.number().int(),
  fromMs: z.number().int(),
  toMs: z.number().int(),
  safeguards: z.array(Safeguard),
  /** Every gap of every part, counted. */
  gapCount: z.number().int(),
});
export type HipaaReport = z.infer<typeof HipaaReport>;

/**
 * The breach-notification clock. Discovery is when WardWatch first knew: the alert's (or
 * incident's) creation, the earliest moment the organisation could reasonably have known
 * (§164.404(a)(2)); an acknowledgement comes later and never moves it. `not_a_breach`
 * when triage closed the alert as a false positive or benign.
 */
export const BreachClock = z.object({
  discoveredAt: z.number().int(),
  discoveredBy: z.enum(['alert_created', 'incident_created']),
  acknowledgedAt: z.number().int().nullable(),
  deadlineAt: z.number().int(),
  /** Whole days left until the deadline (negative: overdue), counted from the report's time. */
  daysRemaining: z.number().int(),
  state: z.enum(['running', 'overdue', 'not_a_breach']),
});
export type BreachClock = z.infer<typeof BreachClock>;

export const timelineKinds = [
  'evidence',
  'score',
  'triage',
  'comment',
  'playbook',
  'approval',
  'command',
  'audit',
] as const;
export const TimelineEntry = z.object({
  timeMs: z.number().int(),
  kind: z.enum(timelineKinds),
  /** Who did it: a user name, `system…`, or `agent:<id>`. */
  actor: z.string(),
  /** What happened, one line of plain text. */
  text: z.string(),
});
export type TimelineEntry = z.infer<typeof TimelineEntry>;

export const IncidentReport = z.object({
  generatedAt: z.number().int(),
  subject: z.enum(['alert', 'incident']),
  id: z.string(),
  title: z.string(),
  /** The facts at the top of the report: severity, status, workstation, user token… */
  summary: z.array(EvidenceItem),
  clock: BreachClock,
  /** Approvals, each with who decided. */
  approvals: z.array(
    z.object({
      id: z.string(),
      summary: z.string(),
      state: z.string(),
      requestedBy: z.string().nullable(),
      approvedBy: z.array(z.string()),
      rejectedBy: z.string().nullable(),
    }),
  ),
  /** Commands sent for it and what the agent answered. */
  actions: z.array(
    z.object({
      id: z.string(),
      action: z.string(),
      agentId: z.string(),
      state: z.string(),
      automatic: z.boolean(),
      issuedAt: z.number().int(),
      outcome: z.string().nullable(),
      message: z.string().nullable(),
    }),
  ),
  evidenceCount: z.number().int(),
  timeline: z.array(TimelineEntry),
  /** More entries existed than the report holds. */
  timelineTruncated: z.boolean(),
});
export type IncidentReport = z.infer<typeof IncidentReport>;
