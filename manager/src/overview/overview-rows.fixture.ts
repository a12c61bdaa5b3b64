// Rows as the manager stores them, for the overview's database tests, its bench and its
// browser test: agents with a unit, alerts with rule ids, scored windows and events.
// Pseudonyms have the agents' token shape (`u_…`, `ip_…`), as every overview list shows.
import type { DataSource } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { type AgentEntity } from '../agents/agent.entity';
import { type AlertEntity } from '../alerts/alert.entity';
import { type RiskScoreEntity } from '../alerts/risk-score.entity';
import { type EventEntity } from '../events/event.entity';

export const tokenOf = (prefix: 'u' | 'ip' | 'h', n: number) => `${prefix}_${n.toString(16).padStart(16, '0')}`;

export function agentRow(id: string, hostname: string, unit: string | null): AgentEntity {
  return {
    id,
    hostname,
    os: 'linux',
    osVersion: '6',
    version: '0.1.0',
    status: 'online',
    enrolledAt: 1,
    lastSeenAt: null,
    certFingerprint: `sha256:${id}`,
    stats: null,
    unit,
  };
}

export interface AlertSpec {
  id: string;
  agentId: string;
  createdAt: number;
  severity: number;
  score: number;
  user: string | null;
  ruleIds?: string[];
}

export function alertRow(spec: AlertSpec): QueryDeepPartialEntity<AlertEntity> {
  return {
    id: spec.id,
    agentId: spec.agentId,
    createdAt: spec.createdAt,
    severity: spec.severity,
    score: spec.score,
    title: 'Risk above threshold',
    reasons: [],
    status: 'open',
    eventIds: [],
    user: spec.user,
    windowStart: spec.user ? spec.createdAt : null,
    windowEnd: spec.user ? spec.createdAt + 3_600_000 : null,
    ruleIds: spec.ruleIds ?? null,
  };
}

export function scoreRow(
  id: string,
  agentId: string,
  user: string,
  windowStart: number,
  score: number,
): RiskScoreEntity {
  return {
    agentId,
    scoreId: id,
    user,
    windowStart,
    windowEnd: windowStart + 3_600_000,
    score,
    threshold: 60,
    severity: score >= 60 ? 4 : 1,
    modelSource: 'fleet',
    baselineSource: 'fleet',
    reasons: [],
    ruleIds: [],
    partial: false,
    scoredAt: windowStart,
    receivedAt: windowStart,
    alertId: null,
  };
}

export interface EventSpec {
  id: string;
  agentId: string;
  timeMs: number;
  user: string;
  category: 'file' | 'login' | 'process' | 'device' | 'network';
  action: string;
  detail?: Record<string, unknown>;
}

export function eventRow(spec: EventSpec): EventEntity {
  return {
    agentId: spec.agentId,
    eventId: spec.id,
    sequence: null,
    hostname: spec.agentId,
    timeMs: spec.timeMs,
    receivedMs: spec.timeMs,
    severity: 1,
    user: spec.user,
    category: spec.category,
    action: spec.action,
    detail: spec.detail ?? {},
  };
}

/** A failed logon from a source (an address token, or a host token when `host`). */
export function failedLogon(id: string, agentId: string, timeMs: number, source: string, host = false): EventSpec {
  return {
    id,
    agentId,
    timeMs,
    user: tokenOf('u', 1),
    category: 'login',
    action: 'failed_logon',
    detail: { action: 'failed_logon', sourceIp: host ? '' : source, sourceHost: host ? source : '' },
  };
}

/** Inserts rows in chunks small enough for either engine's parameter limit. */
export async function insertRows<T>(
  db: DataSource,
  entity: new () => T,
  rows: readonly object[],
  chunk = 200,
): Promise<void> {
  for (let i = 0; i < rows.length; i += chunk) await db.getRepository(entity).insert(rows.slice(i, i + chunk));
}
