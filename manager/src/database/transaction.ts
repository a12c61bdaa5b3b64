// Runs work in a transaction. SQLite (better-sqlite3) has one connection, and
// TypeORM does not queue transactions on it: two at once fail with "cannot start
// a transaction within a transaction". So on SQLite they take turns; PostgreSQL
// runs them side by side on its pool.
import type { DataSource, EntityManager } from 'typeorm';

const queues = new WeakMap<DataSource, Promise<unknown>>();

export function inTransaction<T>(db: DataSource, work: (tx: EntityManager) => Promise<T>): Promise<T> {
  if (db.options.type !== 'better-sqlite3') return db.transaction(work);
  const previous = queues.get(db) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(() => db.transaction(work));
  queues.set(
    db,
    next.catch(() => undefined),
  );
  return next;
}
