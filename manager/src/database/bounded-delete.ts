// One bounded delete for the retention job: a purge of millions of rows runs as many short
// statements, so it never holds the database (and the agents' ingest) for long.
import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

export interface BoundedDelete {
  entity: EntityTarget<ObjectLiteral>;
  /** The key columns that name a row, e.g. `['agent_id', 'event_id']`. */
  keys: readonly string[];
  /** SQL over the columns of `old`, with `:cutoff` bound to `cutoffMs`. */
  where: string;
  cutoffMs: number;
  limit: number;
}

/** Deletes at most `limit` rows that `where` selects; returns how many went. */
export async function deleteBounded(manager: EntityManager, d: BoundedDelete): Promise<number> {
  const [first, ...rest] = d.keys.map((key) => `old.${key}`);
  const old = manager
    .createQueryBuilder()
    .select(first)
    .addSelect(rest)
    .from(d.entity, 'old')
    .where(d.where, { cutoff: d.cutoffMs })
    .limit(d.limit);
  const key = d.keys.length === 1 ? d.keys[0] : `(${d.keys.join(', ')})`;
  const result = await manager
    .createQueryBuilder()
    .delete()
    .from(d.entity)
    .where(`${key} IN (${old.getQuery()})`)
    .setParameters(old.getParameters())
    .execute();
  return result.affected ?? 0;
}
