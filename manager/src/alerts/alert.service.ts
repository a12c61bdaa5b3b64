// The one writer of alerts. Whether a rule on one event or an agent's risk score
// raised it, an alert is written inside the caller's transaction together with its
// audit row (`alert.raise`, or `alert.update` when a later score of the same window
// folds into the open alert), so no alert exists that the audit log does not show.
import { Injectable } from '@nestjs/common';
import type { AlertKind, AlertStatus, AlertView } from '@wardwatch/shared';
import { z } from 'zod';
import { AuditService } from '../audit/audit.service';
import { Clock, RandomSource } from '../common/clock';
import { pageCursor, toPage } from '../common/page-cursor';
import { severityName } from '../common/severity';
import type { Tx } from '../database/transaction.runner';
import type { AlertDraft } from './alert-draft';
import type { AlertEntity } from './alert.entity';
import { AlertRepository, type NewAlert } from './alert.repository';
import { mergeAlertFields, newAlertFields, type ScoredAlertFields } from './score-alerts';
import type { ScoreRecord } from './score-record';

const cursor = pageCursor(z.tuple([z.number().int(), z.string()]));

/** Reason lines an episode alert keeps (the first says why it was raised, later ones what followed). */
const MAX_EPISODE_REASONS = 8;

/**
 * An alert the manager raises by itself about one agent (no user, no score), once
 * per episode: an episode is its kind, agent and start (`since`).
 */
export interface EpisodeDraft {
  kind: Exclude<AlertKind, 'behaviour'>;
  agentId: string;
  since: number;
  severity: number;
  title: string;
  reasons: string[];
}

/** An alert raised, or an open one a stronger score of its window changed, after the write committed. */
export interface AlertNotice {
  alertId: string;
  agentId: string;
  /** false: a later score folded into an open alert (its rules and score may have grown). */
  raised: boolean;
}

export type AlertListener = (notice: AlertNotice) => void;

@Injectable()
export class AlertService {
  constructor(
    private readonly repo: AlertRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly random: RandomSource,
  ) {}

  private readonly listeners: AlertListener[] = [];

  /**
   * Hears of each alert raised or updated, after its transaction committed. Features that
   * act on alerts (playbooks/) subscribe here, so alerts/ never imports them. A listener
   * must not throw and returns at once (its own work runs on its own, after this call).
   */
  onRaised(listener: AlertListener): () => void {
    this.listeners.push(listener);
    return () => {
      const at = this.listeners.indexOf(listener);
      if (at >= 0) this.listeners.splice(at, 1);
    };
  }

  /** For the writers of alerts, once their transaction committed. */
  announce(notices: readonly AlertNotice[]): void {
    for (const notice of notices)
      for (const listener of this.listeners) {
        try {
          listener(notice);
        } catch {
          // A listener's failure is its own to log: the alert is stored and audited whatever it does.
        }
      }
  }

  /** One alert as stored (playbooks/ decides on it). */
  findRecord(id: string): Promise<AlertEntity | null> {
    return this.repo.findById(id);
  }

  /** Raises one alert per draft; returns how many. */
  async raise(drafts: AlertDraft[], tx: Tx): Promise<number> {
    const now = this.clock.now();
    for (const draft of drafts) {
      await this.insert({ ...blankScoreFields, ...draft, id: this.random.uuid(), createdAt: now, status: 'open' }, tx);
    }
    return drafts.length;
  }

  /** Raises an alert for a score at or above the manager's threshold, or folds it into its window's open alert. */
  async raiseForScore(record: ScoreRecord, threshold: number, tx: Tx): Promise<{ id: string; raised: boolean }> {
    const now = this.clock.now();
    const open = await this.repo.findOpen(record.agentId, record.user, record.windowStart, tx);
    if (open?.reasonDetails) {
      const merged = mergeAlertFields(scoredFields(open, threshold), record, threshold);
      await this.repo.update(open.id, { ...merged, updatedAt: now }, tx);
      await this.audit.append(
        {
          actor: `agent:${record.agentId}`,
          action: 'alert.update',
          target: open.id,
          details: { user: record.user, score: merged.score, scoreId: record.scoreId, windowStart: record.windowStart },
        },
        tx,
      );
      return { id: open.id, raised: false };
    }
    const id = this.random.uuid();
    await this.insert(
      {
        id,
        agentId: record.agentId,
        createdAt: now,
        status: 'open',
        eventIds: [],
        user: record.user,
        windowStart: record.windowStart,
        windowEnd: record.windowEnd,
        updatedAt: now,
        ...newAlertFields(record, threshold),
      },
      tx,
    );
    return { id, raised: true };
  }

  /** Raises the episode's alert unless it has one already (any status); returns its id when raised. */
  async raiseEpisode(draft: EpisodeDraft, tx: Tx): Promise<string | undefined> {
    if (await this.repo.findEpisode(draft.kind, draft.agentId, draft.since, tx)) return undefined;
    const id = this.random.uuid();
    const alert: NewAlert = {
      id,
      kind: draft.kind,
      agentId: draft.agentId,
      createdAt: this.clock.now(),
      severity: draft.severity,
      score: 0,
      title: draft.title.slice(0, 255),
      reasons: draft.reasons,
      status: 'open',
      eventIds: [],
      user: null,
      windowStart: draft.since,
      windowEnd: null,
      updatedAt: null,
    };
    await this.insert(alert, tx, 'system');
    return id;
  }

  /** Episode alerts of a kind still running (no end yet), oldest first. */
  unendedEpisodes(kind: EpisodeDraft['kind'], limit: number): Promise<AlertEntity[]> {
    return this.repo.unended(kind, limit);
  }

  /** When this agent's last episode of a kind ended; null when none has (a gap before the next is the caller's). */
  lastEpisodeEnd(kind: EpisodeDraft['kind'], agentId: string): Promise<number | null> {
    return this.repo.lastEpisodeEnd(kind, agentId);
  }

  /**
   * Ends an episode: its end time and a note are added to the alert, audited
   * (`alert.episode_end`). The status is the analysts' and stays as it is.
   */
  async endEpisode(alert: AlertEntity, endedAt: number, note: string, tx: Tx): Promise<void> {
    const reasons = [...alert.reasons, note].slice(-MAX_EPISODE_REASONS);
    await this.repo.update(alert.id, { windowEnd: endedAt, updatedAt: this.clock.now(), reasons }, tx);
    await this.audit.append(
      { actor: 'system', action: 'alert.episode_end', target: alert.id, details: { kind: alert.kind, endedAt, note } },
      tx,
    );
  }

  /** One alert, as the API shows it (approvals/ shows the alert behind a proposal). */
  async find(id: string): Promise<AlertView | null> {
    const alert = await this.repo.findById(id);
    return alert ? toAlertView(alert) : null;
  }

  /** Newest first, of one status when given; the cursor is the creation time and id of the last alert seen. */
  async page(
    limit: number,
    after?: string,
    status?: AlertStatus,
  ): Promise<{ items: AlertView[]; nextCursor?: string }> {
    const rows = await this.repo.page(limit, after === undefined ? undefined : cursor.decode(after), status);
    return toPage(rows, limit, toAlertView, (a) => cursor.encode([a.createdAt, a.id]));
  }

  private async insert(alert: NewAlert, tx: Tx, actor = `agent:${alert.agentId}`): Promise<void> {
    await this.repo.insert(alert, tx);
    await this.audit.append(
      {
        actor,
        action: 'alert.raise',
        target: alert.id,
        details: {
          ...(alert.kind && alert.kind !== 'behaviour' ? { kind: alert.kind, agentId: alert.agentId } : {}),
          severity: alert.severity,
          score: alert.score,
          ...(alert.user === null ? { events: alert.eventIds } : { user: alert.user, windowStart: alert.windowStart }),
          ...(alert.threshold === undefined || alert.threshold === null ? {} : { threshold: alert.threshold }),
          ...(alert.ruleIds ? { rules: alert.ruleIds } : {}),
        },
      },
      tx,
    );
  }
}

/** An alert from a single event has no window, user or score figures. */
const blankScoreFields = { user: null, windowStart: null, windowEnd: null, updatedAt: null } as const;

function scoredFields(open: AlertEntity, threshold: number): ScoredAlertFields {
  return {
    severity: open.severity,
    score: open.score,
    title: open.title,
    reasons: open.reasons,
    reasonDetails: open.reasonDetails ?? [],
    ruleIds: open.ruleIds ?? [],
    threshold: open.threshold ?? threshold,
    modelSource: open.modelSource ?? '',
    suspects: open.suspects ?? [],
    identityMismatch: open.identityMismatch ?? null,
  };
}

export function toAlertView(a: AlertEntity): AlertView {
  const view: AlertView = {
    id: a.id,
    agentId: a.agentId,
    createdAt: a.createdAt,
    severity: severityName(a.severity),
    score: a.score,
    title: a.title,
    reasons: a.reasons,
    status: a.status,
    eventIds: a.eventIds,
    kind: a.kind ?? 'behaviour',
    revision: a.revision ?? 1,
    assignee: a.assignee ?? null,
    acknowledgedBy: a.acknowledgedBy ?? null,
    acknowledgedAt: a.acknowledgedAt ?? null,
    closedBy: a.closedBy ?? null,
    closedAt: a.closedAt ?? null,
    verdict: a.verdict ?? null,
  };
  // Alerts from a risk score also say whose window it was, against which threshold, and why in figures.
  if (a.user !== null && a.user !== undefined) view.user = a.user;
  if (a.windowStart !== null && a.windowStart !== undefined) view.windowStart = a.windowStart;
  if (a.windowEnd !== null && a.windowEnd !== undefined) view.windowEnd = a.windowEnd;
  if (a.threshold !== null && a.threshold !== undefined) view.threshold = a.threshold;
  if (a.modelSource) view.modelSource = a.modelSource;
  if (a.reasonDetails) view.reasonDetails = a.reasonDetails;
  if (a.ruleIds) view.ruleIds = a.ruleIds;
  if (a.identityMismatch !== null && a.identityMismatch !== undefined) view.identityMismatch = a.identityMismatch;
  if (a.updatedAt !== null && a.updatedAt !== undefined) view.updatedAt = a.updatedAt;
  return view;
}
