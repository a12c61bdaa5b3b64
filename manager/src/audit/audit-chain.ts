// The hash chain of the audit log: each row's hash covers the previous row's hash
// and the row's own content in a canonical form, so an edited, reordered or
// deleted row breaks the chain at that point.
import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditContent {
  seq: number;
  timeMs: number;
  actor: string;
  action: string;
  target: string;
  details: Record<string, unknown>;
}

export interface AuditRow extends AuditContent {
  prevHash: string;
  hash: string;
}

/** JSON with object keys sorted at every level, so that the same content always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function auditHash(prevHash: string, content: AuditContent): string {
  const { seq, timeMs, actor, action, target, details } = content;
  return createHash('sha256')
    .update(prevHash)
    .update('\n')
    .update(canonicalJson({ seq, timeMs, actor, action, target, details }))
    .digest('hex');
}

export type ChainVerdict =
  { ok: true; rows: number; headHash: string } | { ok: false; rows: number; brokenAtSeq: number; reason: string };

/** Checks rows in seq order: contiguous from 1, each linked to the one before, each hash matching its content. */
export function verifyChain(rows: Iterable<AuditRow>): ChainVerdict {
  let prev = GENESIS_HASH;
  let expectedSeq = 1;
  let count = 0;
  for (const row of rows) {
    count += 1;
    if (row.seq !== expectedSeq)
      return {
        ok: false,
        rows: count,
        brokenAtSeq: expectedSeq,
        reason: `row ${expectedSeq} is missing (found ${row.seq})`,
      };
    if (row.prevHash !== prev)
      return { ok: false, rows: count, brokenAtSeq: row.seq, reason: 'link to the previous row does not match' };
    if (auditHash(prev, row) !== row.hash)
      return { ok: false, rows: count, brokenAtSeq: row.seq, reason: 'content does not match its hash' };
    prev = row.hash;
    expectedSeq += 1;
  }
  return { ok: true, rows: count, headHash: prev };
}
