// What is forwarded, derived from one audit row. The audit log is the source: every alert
// change, every command issued, result and expiry is audited in the transaction that made it,
// so tailing the log by its gap-free `seq` misses nothing and needs no hook in those features.
// The event id is a function of the row and the kind, so a repeated delivery carries the same id.
import type { AlertView, ForwardKind } from '@wardwatch/shared';
import type { AuditRow } from '../audit/audit-chain';

/** The alert as it stood when the record was made (its audit row says little more than ids). */
export type AlertSnapshot = Pick<
  AlertView,
  'id' | 'agentId' | 'createdAt' | 'severity' | 'score' | 'title' | 'reasons' | 'status' | 'user' | 'ruleIds' | 'kind'
> & { verdict?: string | null };

export interface ForwardRecord {
  eventId: string;
  kind: ForwardKind;
  seq: number;
  timeMs: number;
  actor: string;
  action: string;
  target: string;
  details: Record<string, unknown>;
  alert?: AlertSnapshot;
}

const ALERT_ACTIONS = new Set(['alert.raise', 'alert.update', 'alert.acknowledge', 'alert.close', 'alert.episode_end']);
const RESPONSE_ACTIONS = new Set(['command.issued', 'command.result', 'command.expired']);

/** The kinds one audit row is forwarded as: always `audit`, and `alert` or `action` for those changes. */
export function kindsOf(action: string): ForwardKind[] {
  if (ALERT_ACTIONS.has(action)) return ['alert', 'audit'];
  if (RESPONSE_ACTIONS.has(action)) return ['action', 'audit'];
  return ['audit'];
}

export function forwardEventId(seq: number, kind: ForwardKind): string {
  return `wardwatch-audit-${seq}-${kind}`;
}

export function recordOf(row: AuditRow, kind: ForwardKind, alert?: AlertSnapshot): ForwardRecord {
  return {
    eventId: forwardEventId(row.seq, kind),
    kind,
    seq: row.seq,
    timeMs: row.timeMs,
    actor: row.actor,
    action: row.action,
    target: row.target,
    details: row.details,
    ...(alert ? { alert } : {}),
  };
}

export function snapshotOf(view: AlertView): AlertSnapshot {
  return {
    id: view.id,
    agentId: view.agentId,
    createdAt: view.createdAt,
    severity: view.severity,
    score: view.score,
    title: view.title,
    reasons: view.reasons,
    status: view.status,
    ...(view.user === undefined ? {} : { user: view.user }),
    ...(view.ruleIds === undefined ? {} : { ruleIds: view.ruleIds }),
    ...(view.kind === undefined ? {} : { kind: view.kind }),
    ...(view.verdict === undefined ? {} : { verdict: view.verdict }),
  };
}

/** A detail of the audit row as text: strings and numbers as they are, anything else empty. */
export function detailText(record: ForwardRecord, key: string): string {
  const value = record.details[key];
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
}
