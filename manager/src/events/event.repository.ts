// Event storage. A batch is one multi-row INSERT per chunk inside the caller's
// transaction; ids already stored are skipped, so a resent batch changes nothing.
import { Injectable } from '@nestjs/common';
import { severityNames, type EventQuery } from '@wardwatch/shared';
import { DataSource, In, type EntityManager, type QueryDeepPartialEntity } from 'typeorm';
import { EventEntity } from '../database/entities';
import type { EventRecord } from './event-record';
import { decodeCursor, encodeCursor } from './event-cursor';

/** Keeps each INSERT under SQLite's bound-parameter limit (10 columns per row). */
const CHUNK = 500;

export interface EventPageResult {
  items: EventRecord[];
  nextCursor?: string;
}

export class InvalidCursorError extends Error {}

@Injectable()
export class EventRepository {
  constructor(private readonly db: DataSource) {}

  /** Stores the records that are new and returns them (in input order). */
  async insertNew(tx: EntityManager, records: EventRecord[]): Promise<EventRecord[]> {
    const fresh: EventRecord[] = [];
    const byAgent = new Map<string, EventRecord[]>();
    for (const record of records) byAgent.set(record.agentId, [...(byAgent.get(record.agentId) ?? []), record]);
    for (const [agentId, list] of byAgent) {
      const seen = new Set<string>();
      for (let i = 0; i < list.length; i += CHUNK) {
        const ids = list.slice(i, i + CHUNK).map((r) => r.eventId);
        const stored = await tx
          .getRepository(EventEntity)
          .find({ select: { eventId: true }, where: { agentId, eventId: In(ids) } });
        for (const row of stored) seen.add(row.eventId);
      }
      for (const record of list) {
        if (seen.has(record.eventId)) continue;
        seen.add(record.eventId); // a duplicate inside the batch counts once
        fresh.push(record);
      }
    }
    for (let i = 0; i < fresh.length; i += CHUNK) {
      const rows = fresh.slice(i, i + CHUNK) as QueryDeepPartialEntity<EventEntity>[];
      // orIgnore: a concurrent resend on another stream must not fail this batch.
      await tx.createQueryBuilder().insert().into(EventEntity).values(rows).orIgnore().execute();
    }
    return fresh;
  }

  /** Newest first, keyset-paged on (time, agent, id). */
  async page(query: EventQuery): Promise<EventPageResult> {
    const qb = this.db.getRepository(EventEntity).createQueryBuilder('e');
    if (query.agentId) qb.andWhere('e.agentId = :agentId', { agentId: query.agentId });
    if (query.category) qb.andWhere('e.category = :category', { category: query.category });
    if (query.action) qb.andWhere('e.action = :action', { action: query.action });
    if (query.user) qb.andWhere('e.user = :user', { user: query.user });
    if (query.minSeverity)
      qb.andWhere('e.severity >= :minSeverity', { minSeverity: severityNames.indexOf(query.minSeverity) });
    if (query.fromMs !== undefined) qb.andWhere('e.timeMs >= :fromMs', { fromMs: query.fromMs });
    if (query.toMs !== undefined) qb.andWhere('e.timeMs <= :toMs', { toMs: query.toMs });
    if (query.cursor) {
      const key = decodeCursor(query.cursor);
      if (!key) throw new InvalidCursorError('invalid cursor');
      qb.andWhere(
        '(e.timeMs < :ct OR (e.timeMs = :ct AND e.agentId < :ca) OR (e.timeMs = :ct AND e.agentId = :ca AND e.eventId < :ce))',
        { ct: key.timeMs, ca: key.agentId, ce: key.eventId },
      );
    }
    qb.orderBy('e.timeMs', 'DESC')
      .addOrderBy('e.agentId', 'DESC')
      .addOrderBy('e.eventId', 'DESC')
      .take(query.limit + 1);
    const rows = (await qb.getMany()) as EventRecord[];
    const items = rows.slice(0, query.limit);
    const last = items.at(-1);
    return rows.length > query.limit && last ? { items, nextCursor: encodeCursor(last) } : { items };
  }
}
