import { Injectable } from '@nestjs/common';
import type { AlertView } from '@wardwatch/shared';
import { DataSource, type EntityManager, type QueryDeepPartialEntity } from 'typeorm';
import { Clock, RandomSource } from '../common/clock';
import { AlertEntity } from '../database/entities';
import { severityName } from '../events/event-view.mapper';
import type { AlertDraft } from './alert-rules';

const PAGE = 200;

@Injectable()
export class AlertService {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly random: RandomSource,
  ) {}

  async raise(tx: EntityManager, drafts: AlertDraft[]): Promise<number> {
    if (drafts.length === 0) return 0;
    const now = this.clock.now();
    const rows = drafts.map((d) => ({ ...d, id: this.random.uuid(), createdAt: now, status: 'open' as const }));
    await tx.createQueryBuilder().insert().into(AlertEntity).values(rows).execute();
    return rows.length;
  }

  /** Newest first; the cursor is the creation time and id of the last alert seen. */
  async page(limit = PAGE, cursor?: string): Promise<{ items: AlertView[]; nextCursor?: string }> {
    const qb = this.db.getRepository(AlertEntity).createQueryBuilder('a');
    const key = cursor ? parseCursor(cursor) : undefined;
    if (key) qb.where('(a.createdAt < :t OR (a.createdAt = :t AND a.id < :id))', key);
    const rows = await qb
      .orderBy('a.createdAt', 'DESC')
      .addOrderBy('a.id', 'DESC')
      .take(limit + 1)
      .getMany();
    const items = rows.slice(0, limit).map(toAlertView);
    const last = rows.length > limit ? items.at(-1) : undefined;
    return last ? { items, nextCursor: Buffer.from(`${last.createdAt}:${last.id}`).toString('base64url') } : { items };
  }
}

function parseCursor(cursor: string): { t: number; id: string } | undefined {
  const [t, id] = Buffer.from(cursor, 'base64url').toString().split(':');
  return id && /^\d+$/.test(t) ? { t: Number(t), id } : undefined;
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
  };
  // Alerts from a risk score also say whose window it was, against which threshold, and why in figures.
  if (a.user !== null && a.user !== undefined) view.user = a.user;
  if (a.windowStart !== null && a.windowStart !== undefined) view.windowStart = a.windowStart;
  if (a.windowEnd !== null && a.windowEnd !== undefined) view.windowEnd = a.windowEnd;
  if (a.threshold !== null && a.threshold !== undefined) view.threshold = a.threshold;
  if (a.modelSource) view.modelSource = a.modelSource;
  if (a.reasonDetails) view.reasonDetails = a.reasonDetails;
  if (a.ruleIds) view.ruleIds = a.ruleIds;
  if (a.updatedAt !== null && a.updatedAt !== undefined) view.updatedAt = a.updatedAt;
  return view;
}
