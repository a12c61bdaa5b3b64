// What an analyst reads to understand one alert (GET /api/v1/alerts/:id): its reasons
// and the ATT&CK techniques of the rules that fired (shared's rule table), the
// evidence (the alert's own events, else the user's or workstation's events in its
// window), related alerts (same user, same workstation, or a source address or host
// its evidence shares), the user's score history around it, and its comments.
// Read-only; every list is bounded, so one detail costs a few indexed queries.
import { Injectable } from '@nestjs/common';
import {
  hasPermission,
  MAX_ALERT_COMMENTS,
  techniquesOfRules,
  type AlertDetail,
  type AlertRelation,
  type EventView,
  type RelatedAlertView,
  type ScorePointView,
} from '@wardwatch/shared';
import { parsePseudonym } from '@wardwatch/shared/pseudonyms';
import { AccountService } from '../auth/account.service';
import { severityName } from '../common/severity';
import { EventQueryService } from '../events/event-query.service';
import { AlertCommentRepository } from './alert-comment.repository';
import type { AlertEntity } from './alert.entity';
import { AlertRepository } from './alert.repository';
import { toAlertView } from './alert.service';
import { AlertTriageError } from './alert-triage.errors';
import { toCommentView } from './alert-triage.service';
import { RiskScoreRepository } from './risk-score.repository';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Evidence events shown at most (the Events page pages through the rest). */
export const MAX_EVIDENCE_EVENTS = 100;
/** Related alerts looked for on each side of the alert's time, and shown at most. */
const RELATED_SPAN_MS = 7 * DAY;
export const MAX_RELATED_ALERTS = 25;
/** Source addresses and hosts are followed this far around the alert, through at most this many events. */
const SOURCE_SPAN_MS = DAY;
const SOURCE_EVENT_SCAN = 2_000;
const MAX_SOURCE_TOKENS = 10;
const MAX_SOURCE_PAIRS = 10;
/** Score history: a week before the window, a day after, at most this many points. */
export const MAX_SCORE_POINTS = 200;
/** The event fields that hold where an attempt came from, and the pseudonym kinds they may hold. */
const SOURCE_FIELDS: Record<string, Record<string, readonly string[]>> = {
  login: { sourceIp: ['ip'], sourceHost: ['host', 'ip'] },
  network: { remoteAddress: ['ip'] },
};

@Injectable()
export class AlertDetailService {
  constructor(
    private readonly alerts: AlertRepository,
    private readonly comments: AlertCommentRepository,
    private readonly scores: RiskScoreRepository,
    private readonly events: EventQueryService,
    private readonly accounts: AccountService,
  ) {}

  async detail(id: string): Promise<AlertDetail> {
    const alert = await this.alerts.findById(id);
    if (!alert) throw new AlertTriageError('not_found', 'no such alert');
    const evidence = await this.evidence(alert);
    const [related, scoreHistory, comments, assignees] = await Promise.all([
      this.related(alert, evidence.events),
      this.scoreHistory(alert),
      this.comments.listFor(alert.id, MAX_ALERT_COMMENTS),
      this.assignees(),
    ]);
    return {
      alert: toAlertView(alert),
      techniques: techniquesOfRules(ruleIdsOf(alert)).map(({ ruleId, technique }) => ({ ...technique, ruleId })),
      evidence,
      related,
      scoreHistory,
      comments: comments.map(toCommentView),
      assignees,
    };
  }

  private async evidence(alert: AlertEntity): Promise<AlertDetail['evidence']> {
    if (alert.eventIds.length > 0) {
      const events = await this.events.byIds(alert.agentId, alert.eventIds.slice(0, MAX_EVIDENCE_EVENTS));
      return { source: 'linked', events, truncated: alert.eventIds.length > MAX_EVIDENCE_EVENTS };
    }
    // An episode (a silent agent) has no behaviour behind it.
    if (alert.kind !== 'behaviour' || alert.windowStart === null || alert.windowEnd === null) {
      return { source: 'none', events: [], truncated: false };
    }
    const page = await this.events.page({
      agentId: alert.agentId,
      ...(alert.user === null ? {} : { user: alert.user }),
      fromMs: alert.windowStart,
      toMs: alert.windowEnd,
      limit: MAX_EVIDENCE_EVENTS,
    });
    return { source: 'window', events: page.items, truncated: page.nextCursor !== undefined };
  }

  private async related(alert: AlertEntity, evidence: EventView[]): Promise<RelatedAlertView[]> {
    const around = { fromMs: alert.createdAt - RELATED_SPAN_MS, toMs: alert.createdAt + RELATED_SPAN_MS };
    const found = new Map<string, { row: AlertEntity; relations: Set<AlertRelation> }>();
    const add = (rows: AlertEntity[], relation: AlertRelation) => {
      for (const row of rows) {
        if (row.id === alert.id) continue;
        const entry = found.get(row.id) ?? { row, relations: new Set<AlertRelation>() };
        entry.relations.add(relation);
        found.set(row.id, entry);
      }
    };
    if (alert.user !== null) add(await this.alerts.near({ ...around, user: alert.user }, MAX_RELATED_ALERTS), 'user');
    add(await this.alerts.near({ ...around, agentId: alert.agentId }, MAX_RELATED_ALERTS), 'workstation');
    const tokens = sourceTokens(evidence);
    if (tokens.length > 0) {
      const pairs = await this.events.pairsWithTokens(
        Object.keys(SOURCE_FIELDS),
        tokens,
        // Around the behaviour (its window), not around when the manager raised the alert.
        (alert.windowStart ?? alert.createdAt) - SOURCE_SPAN_MS,
        (alert.windowEnd ?? alert.createdAt) + SOURCE_SPAN_MS,
        SOURCE_EVENT_SCAN,
      );
      for (const pair of pairs.slice(0, MAX_SOURCE_PAIRS)) {
        // The alert's own user and workstation are listed above already.
        if (pair.agentId === alert.agentId && pair.user === alert.user) continue;
        add(await this.alerts.near({ ...around, ...pair }, 5), 'source');
      }
    }
    return [...found.values()]
      .sort((a, b) => b.row.createdAt - a.row.createdAt || (a.row.id < b.row.id ? 1 : -1))
      .slice(0, MAX_RELATED_ALERTS)
      .map(({ row, relations }) => ({
        id: row.id,
        createdAt: row.createdAt,
        severity: severityName(row.severity),
        score: row.score,
        title: row.title,
        status: row.status,
        agentId: row.agentId,
        ...(row.user === null ? {} : { user: row.user }),
        relations: [...relations].sort(),
      }));
  }

  private async scoreHistory(alert: AlertEntity): Promise<ScorePointView[]> {
    if (alert.user === null || alert.windowStart === null) return [];
    const rows = await this.scores.history(
      alert.agentId,
      alert.user,
      alert.windowStart - 7 * DAY,
      (alert.windowEnd ?? alert.windowStart) + DAY,
      MAX_SCORE_POINTS,
    );
    return rows.map((s) => ({
      windowStart: s.windowStart,
      windowEnd: s.windowEnd,
      score: Math.round(s.score * 10) / 10,
      threshold: s.threshold,
      thisAlert: s.alertId === alert.id,
    }));
  }

  /** Who an alert may be assigned to: active users whose role may triage. */
  private async assignees(): Promise<string[]> {
    const users = await this.accounts.list();
    return users
      .filter((u) => u.disabledAt === null && hasPermission(u.role, 'alerts:triage'))
      .map((u) => u.username)
      .slice(0, 500);
  }
}

function ruleIdsOf(alert: AlertEntity): string[] {
  const fromReasons = (alert.reasonDetails ?? []).flatMap((r) => (r.ruleId ? [r.ruleId] : []));
  return [...new Set([...(alert.ruleIds ?? []), ...fromReasons])];
}

/** The source address and host tokens the evidence names (clear values such as loopback are not followed). */
export function sourceTokens(events: EventView[]): string[] {
  const tokens = new Set<string>();
  for (const event of events) {
    const fields = Object.hasOwn(SOURCE_FIELDS, event.category) ? SOURCE_FIELDS[event.category] : {};
    for (const [field, kinds] of Object.entries(fields)) {
      const value = event.detail[field];
      if (typeof value !== 'string') continue;
      const parsed = parsePseudonym(value);
      if (parsed && kinds.includes(parsed.kind)) tokens.add(value);
    }
    if (tokens.size >= MAX_SOURCE_TOKENS) break;
  }
  return [...tokens].slice(0, MAX_SOURCE_TOKENS);
}
