// The audit trail over REST: the rows (filtered, newest first, paged by sequence
// number), the export of a filtered view, and the state of its verification.
import { z } from 'zod';

const seq = z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
const timeMs = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const filterText = (max: number) => z.string().trim().min(1).max(max).optional();

/** Filters shared by the list and the export: exact actor and action, a time range (ms, inclusive). */
export const AuditFilter = z.object({
  actor: filterText(128),
  action: filterText(64),
  fromMs: timeMs.optional(),
  toMs: timeMs.optional(),
});
export type AuditFilter = z.infer<typeof AuditFilter>;

/** GET /api/v1/audit: newest first; the next page starts before `nextBeforeSeq`. */
export const AuditListQuery = AuditFilter.extend({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  beforeSeq: seq.optional(),
});
export type AuditListQuery = z.infer<typeof AuditListQuery>;

export const auditExportFormats = ['csv', 'ndjson'] as const;
/** GET /api/v1/audit/export: the filtered view as a file (at most `AUDIT_EXPORT_MAX_ROWS`, newest first). */
export const AuditExportQuery = AuditFilter.extend({ format: z.enum(auditExportFormats).default('ndjson') });
export type AuditExportQuery = z.infer<typeof AuditExportQuery>;
export const AUDIT_EXPORT_MAX_ROWS = 100_000;

export const AuditRowView = z.object({
  seq: z.number().int(),
  timeMs: z.number().int(),
  actor: z.string(),
  action: z.string(),
  target: z.string(),
  details: z.record(z.string(), z.unknown()),
  prevHash: z.string(),
  hash: z.string(),
});
export type AuditRowView = z.infer<typeof AuditRowView>;

export const AuditPage = z.object({ items: z.array(AuditRowView), nextBeforeSeq: z.number().int().optional() });
export type AuditPage = z.infer<typeof AuditPage>;

/** A signed checkpoint as the status shows it, and whether syslog took its copy. */
export const AuditCheckpointView = z.object({
  lastSeq: z.number().int(),
  count: z.number().int(),
  lastMac: z.string(),
  timeMs: z.number().int(),
  syslog: z.enum(['sent', 'unreachable', 'off']).optional(),
});
export type AuditCheckpointView = z.infer<typeof AuditCheckpointView>;

/** GET /api/v1/audit/status: the last verification (none yet after a start) and the last checkpoint. */
export const AuditStatus = z.object({
  lastVerifiedAt: z.number().int().nullable(),
  result: z.enum(['ok', 'failed', 'not_verified']),
  rows: z.number().int(),
  firstBadSeq: z.number().int().nullable(),
  reason: z.string().nullable(),
  keyedFromSeq: z.number().int(),
  lastCheckpoint: AuditCheckpointView.nullable(),
});
export type AuditStatus = z.infer<typeof AuditStatus>;
