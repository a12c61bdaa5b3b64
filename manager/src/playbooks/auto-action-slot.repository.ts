// Storage of the caps on automatic actions. A slot is taken by one conditional insert:
// the row goes in only if the window still holds fewer than the caps, fleet-wide and for
// the unit. On SQLite one statement is atomic (one writer at a time, across processes);
// on PostgreSQL, where two READ COMMITTED inserts could both see room for one more, the
// insert runs in a transaction holding one advisory lock, so checks take turns across
// every manager on the database.
import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { deleteBounded } from '../database/bounded-delete';
import { isPostgres, placeholders } from '../database/engine-sql';
import type { CapLimits, CapVerdict } from './auto-action-caps';
import { AutoActionSlotEntity } from './auto-action-slot.entity';

/** pg_advisory_xact_lock key of the caps ("WWcaps" in ASCII): one lock, every manager. */
const CAP_LOCK_KEY = 0x5757_6361_7073;

@Injectable()
export class AutoActionSlotRepository {
  constructor(private readonly db: DataSource) {}

  /** Takes a slot at `nowMs` if the slots taken at or after `sinceMs` leave room; else says which cap is full. */
  async take(unit: string | null, nowMs: number, sinceMs: number, limits: CapLimits): Promise<CapVerdict> {
    const unitClause =
      unit === null ? '' : ' AND (SELECT COUNT(*) FROM auto_action_slot WHERE taken_at >= ? AND unit = ?) < ?';
    const sql = placeholders(
      this.db,
      'INSERT INTO auto_action_slot (id, unit, taken_at) SELECT CAST(? AS varchar(36)), CAST(? AS varchar(64)), CAST(? AS bigint) ' +
        `WHERE (SELECT COUNT(*) FROM auto_action_slot WHERE taken_at >= ?) < ?${unitClause} RETURNING id`,
    );
    const params: unknown[] = [randomUUID(), unit, nowMs, sinceMs, limits.perMinute];
    if (unit !== null) params.push(sinceMs, unit, limits.perUnitPerMinute);
    const insert = async (manager: EntityManager): Promise<boolean> => {
      if (isPostgres(this.db)) await manager.query('SELECT pg_advisory_xact_lock($1)', [CAP_LOCK_KEY]);
      const rows = await manager.query<unknown[]>(sql, params);
      return rows.length === 1;
    };
    const taken = isPostgres(this.db) ? await this.db.transaction(insert) : await insert(this.db.manager);
    if (taken) return { ok: true };
    // Which cap was full, for the audit row (read after the fact: a label, not a decision).
    const fleet = await this.db
      .getRepository(AutoActionSlotEntity)
      .createQueryBuilder('s')
      .where('s.takenAt >= :since', { since: sinceMs })
      .getCount();
    return { ok: false, cap: fleet >= limits.perMinute ? 'fleet' : 'unit' };
  }

  /** Deletes at most `limit` slots taken before `cutoff` (outside every window); returns how many went. */
  pruneBefore(cutoff: number, limit: number): Promise<number> {
    return deleteBounded(this.db.manager, {
      entity: AutoActionSlotEntity,
      keys: ['id'],
      where: 'old.taken_at < :cutoff',
      cutoffMs: cutoff,
      limit,
    });
  }

  count(): Promise<number> {
    return this.db.getRepository(AutoActionSlotEntity).count();
  }
}
