// Event storage. A batch is one multi-row INSERT per chunk inside the caller's
// transaction (database/insert-new-rows.ts); ids already stored are skipped, so a
// resent batch changes nothing.
import { Injectable } from '@nestjs/common';
import { severityNames, type EventQuery } from '@wardwatch/shared';
import { DataSource, In } from 'typeorm';
import { entityManager, type Tx } from '../database/transaction.runner';
import { deleteBounded } from '../database/bounded-delete';
import { insertNewRows } from '../database/insert-new-rows';
import { EventEntity } from './event.entity';
import type { EventRecord } from './event-record';

/**
 * What the manager holds of one agent's event sequence (Event.sequence): with
 * nothing lost or repeated, `distinct` = `numbered` and `missing` = 0. Retention
 * deletes the oldest, so `min` may be above 1.
 */
export interface SequenceReport {
  agentId: string;
  /** Stored events, with or without a sequence. */
  events: number;
  /** Stored events that carry a sequence. */
  numbered: number;
  min: number | null;
  max: number | null;
  distinct: number;
  /** Events whose sequence another stored event of the agent also has. */
  duplicates: number;
  /** Numbers between `min` and `max` that no stored event has. */
  missing: number;
}

/** The sort key of the event list: time, agent, event id. */
export type EventKey = [timeMs: number, agentId: string, eventId: string];

export type EventFilter = Omit<EventQuery, 'limit' | 'cursor'>;

@Injectable()
export class EventRepository {
  constructor(private readonly db: DataSource) {}

  /** Stores the records that are new and returns them (in input order); a repeated id counts once. */
  insertNew(records: EventRecord[], tx: Tx): Promise<EventRecord[]> {
    return insertNewRows(entityManager(this.db, tx), EventEntity, records);
  }

  /** Newest first, keyset-paged on (time, agent, id); `limit + 1` rows at most so the caller sees whether more follow. */
  async page(filter: EventFilter, limit: number, after?: EventKey): Promise<EventRecord[]> {
    const qb = this.db.getRepository(EventEntity).createQueryBuilder('e');
    if (filter.agentId) qb.andWhere('e.agentId = :agentId', { agentId: filter.agentId });
    if (filter.category) qb.andWhere('e.category = :category', { category: filter.category });
    if (filter.action) qb.andWhere('e.action = :action', { action: filter.action });
    if (filter.user) qb.andWhere('e.user = :user', { user: filter.user });
    if (filter.minSeverity)
      qb.andWhere('e.severity >= :minSeverity', { minSeverity: severityNames.indexOf(filter.minSeverity) });
    if (filter.fromMs !== undefined) qb.andWhere('e.timeMs >= :fromMs', { fromMs: filter.fromMs });
    if (filter.toMs !== undefined) qb.andWhere('e.timeMs <= :toMs', { toMs: filter.toMs });
    if (after) {
      qb.andWhere(
        '(e.timeMs < :ct OR (e.timeMs = :ct AND e.agentId < :ca) OR (e.timeMs = :ct AND e.agentId = :ca AND e.eventId < :ce))',
        { ct: after[0], ca: after[1], ce: after[2] },
      );
    }
    qb.orderBy('e.timeMs', 'DESC')
      .addOrderBy('e.agentId', 'DESC')
      .addOrderBy('e.eventId', 'DESC')
      .take(limit + 1);
    return (await qb.getMany()) as EventRecord[];
  }

  /**
   * (category, action) pairs among the newest `sample` events, most frequent first: a walk
   * down idx_event_time, so the cost is bounded whatever the table holds.
   */
  async recentActions(sample: number, limit: number): Promise<{ category: string; action: string; count: number }[]> {
    const rows = await this.db
      .createQueryBuilder()
      .select('recent.category', 'category')
      .addSelect('recent.action', 'action')
      .addSelect('COUNT(*)', 'n')
      .from(
        (sub) =>
          sub
            .select('e.category', 'category')
            .addSelect('e.action', 'action')
            .from(EventEntity, 'e')
            .orderBy('e.timeMs', 'DESC')
            .limit(sample),
        'recent',
      )
      .groupBy('recent.category')
      .addGroupBy('recent.action')
      .orderBy('n', 'DESC')
      .addOrderBy('recent.category')
      .addOrderBy('recent.action')
      .limit(limit)
      .getRawMany<{ category: string; action: string; n: number | string }>();
    return rows.map((row) => ({ category: row.category, action: row.action, count: Number(row.n) }));
  }

  /** These events of one agent (the primary key), newest first. */
  findByIds(agentId: string, eventIds: string[]): Promise<EventRecord[]> {
    if (eventIds.length === 0) return Promise.resolve([]);
    return this.db.getRepository(EventEntity).find({
      where: { agentId, eventId: In(eventIds) },
      order: { timeMs: 'DESC', eventId: 'DESC' },
    }) as Promise<EventRecord[]>;
  }

  /**
   * The (agent, user) pairs of events of these categories within the time range whose
   * detail holds one of the tokens, at most `limit` events looked at (idx_event_category_time
   * narrows the scan). Tokens must be pseudonyms (letters, digits, underscore): they are
   * matched with LIKE, where `%` and `_` would be wildcards, so `_` is escaped.
   */
  async pairsWithTokens(
    categories: string[],
    tokens: string[],
    fromMs: number,
    toMs: number,
    limit: number,
  ): Promise<{ agentId: string; user: string }[]> {
    if (tokens.length === 0 || categories.length === 0) return [];
    const qb = this.db
      .getRepository(EventEntity)
      .createQueryBuilder('e')
      .select('e.agentId', 'agentId')
      .addSelect('e.user', 'user')
      .where('e.category IN (:...categories)', { categories })
      .andWhere('e.timeMs BETWEEN :fromMs AND :toMs', { fromMs, toMs });
    const likes = tokens.map((_, i) => `e.detail LIKE :t${i} ESCAPE '\\'`).join(' OR ');
    const params = Object.fromEntries(tokens.map((t, i) => [`t${i}`, `%"${t.replace(/_/g, '\\_')}"%`]));
    qb.andWhere(`(${likes})`, params).orderBy('e.timeMs', 'DESC').limit(limit);
    const rows = await qb.getRawMany<{ agentId: string; user: string }>();
    const seen = new Map(
      rows.map((r) => [`${r.agentId}\u0000${r.user}`, { agentId: String(r.agentId), user: String(r.user) }]),
    );
    return [...seen.values()];
  }

  countForUser(user: string): Promise<number> {
    return this.db.getRepository(EventEntity).countBy({ user });
  }

  /** Deletes up to `limit` events the manager received before `cutoffMs`; returns how many. */
  deleteReceivedBefore(cutoffMs: number, limit: number, tx: Tx): Promise<number> {
    return deleteBounded(entityManager(this.db, tx), {
      entity: EventEntity,
      keys: ['agent_id', 'event_id'],
      where: 'old.received_ms < :cutoff',
      cutoffMs,
      limit,
    });
  }

  /** The sequence check, per agent (one agent, or all): served by idx_event_agent_sequence. */
  async sequenceReports(agentId?: string): Promise<SequenceReport[]> {
    const qb = this.db
      .getRepository(EventEntity)
      .createQueryBuilder('e')
      .select('e.agentId', 'agentId')
      .addSelect('COUNT(*)', 'events')
      .addSelect('COUNT(e.sequence)', 'numbered')
      .addSelect('MIN(e.sequence)', 'min')
      .addSelect('MAX(e.sequence)', 'max')
      .addSelect('COUNT(DISTINCT e.sequence)', 'distinct')
      .groupBy('e.agentId')
      .orderBy('e.agentId');
    if (agentId !== undefined) qb.where('e.agentId = :agentId', { agentId });
    const rows = await qb.getRawMany<Record<'agentId' | 'events' | 'numbered' | 'min' | 'max' | 'distinct', unknown>>();
    // PostgreSQL returns counts and bigints as strings.
    const num = (value: unknown) => (value === null || value === undefined ? null : Number(value));
    return rows.map((row) => {
      const numbered = Number(row.numbered);
      const distinct = Number(row.distinct);
      const min = num(row.min);
      const max = num(row.max);
      return {
        agentId: String(row.agentId),
        events: Number(row.events),
        numbered,
        min,
        max,
        distinct,
        duplicates: numbered - distinct,
        missing: min === null || max === null ? 0 : max - min + 1 - distinct,
      };
    });
  }

  /** Served by the primary key (agent_id, event_id). */
  countForAgent(agentId: string): Promise<number> {
    return this.db.getRepository(EventEntity).countBy({ agentId });
  }
}
