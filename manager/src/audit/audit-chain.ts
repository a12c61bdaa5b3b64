// The chain of the audit log. Each row carries `prevHash` (the previous row's link)
// and `hash`, which covers that link and the row's own content in a canonical form,
// so an edited, reordered or deleted row breaks the chain at that point.
//
// Two segments: rows written before the manager held an audit key (seq below
// `keyedFromSeq`) keep their plain SHA-256 links; from `keyedFromSeq` on, each link is
// HMAC-SHA-256 under a key kept outside the database (audit-keyring.ts). Someone who
// can write the table but not read the key file can no longer recompute the chain
// after a rewrite: the first keyed row's MAC covers the last plain link, so even a
// rewrite of the plain segment breaks the chain at `keyedFromSeq`.
import { createHash, createHmac } from 'node:crypto';

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

/** What the chain needs from the keyring: the MAC key and the first row it covers. */
export interface ChainKey {
  hmacKey: Buffer;
  keyedFromSeq: number;
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

function canonicalRow(content: AuditContent): string {
  const { seq, timeMs, actor, action, target, details } = content;
  return canonicalJson({ seq, timeMs, actor, action, target, details });
}

/** The plain (unkeyed) link of the rows written before the manager had an audit key. */
export function auditHash(prevHash: string, content: AuditContent): string {
  return createHash('sha256').update(prevHash).update('\n').update(canonicalRow(content)).digest('hex');
}

/** The keyed link: HMAC-SHA-256(key, previous link ‖ canonical row). */
export function auditMac(hmacKey: Buffer, prevHash: string, content: AuditContent): string {
  return createHmac('sha256', hmacKey).update(prevHash).update('\n').update(canonicalRow(content)).digest('hex');
}

/** The link a row must carry: keyed from `keyedFromSeq` on, plain before. */
export function chainLink(key: ChainKey, prevHash: string, content: AuditContent): string {
  return content.seq >= key.keyedFromSeq ? auditMac(key.hmacKey, prevHash, content) : auditHash(prevHash, content);
}

export type ChainVerdict =
  { ok: true; rows: number; headHash: string } | { ok: false; rows: number; brokenAtSeq: number; reason: string };

/** Checks rows in seq order: contiguous from 1, each linked to the one before, each link matching its content. */
export function verifyChain(rows: Iterable<AuditRow>, key: ChainKey): ChainVerdict {
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
    if (chainLink(key, prev, row) !== row.hash)
      return {
        ok: false,
        rows: count,
        brokenAtSeq: row.seq,
        reason:
          row.seq >= key.keyedFromSeq ? 'content does not match its keyed MAC' : 'content does not match its hash',
      };
    prev = row.hash;
    expectedSeq += 1;
  }
  return { ok: true, rows: count, headHash: prev };
}
