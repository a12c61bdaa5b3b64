// Transactions without TypeORM in the services. A service asks the TransactionRunner
// to run some work and gets an opaque `Tx`; it hands that Tx to repository methods,
// which resolve it to the transaction's EntityManager. So a change and its audit row
// commit or roll back together, and only repositories ever see TypeORM.
//
// SQLite (better-sqlite3) has one connection, and TypeORM does not queue
// transactions on it: two at once fail with "cannot start a transaction within a
// transaction". So on SQLite they take turns; PostgreSQL runs them side by side.
import { Injectable, Optional } from '@nestjs/common';
import { DataSource, QueryFailedError, type EntityManager } from 'typeorm';
import { retry } from '../common/retry';
import { ManagerMetrics } from '../metrics/manager-metrics';

declare const txBrand: unique symbol;
/** A running transaction, as services see it: something to pass on, nothing to call. */
export type Tx = { readonly [txBrand]: true };

const managers = new WeakMap<Tx, EntityManager>();
const queues = new WeakMap<DataSource, Promise<unknown>>();

/** For repositories: the transaction's EntityManager, or the DataSource's own outside one. */
export function entityManager(db: DataSource, tx?: Tx): EntityManager {
  if (!tx) return db.manager;
  const manager = managers.get(tx);
  if (!manager) throw new Error('this transaction has ended');
  return manager;
}

function inTransaction<T>(db: DataSource, work: (tx: Tx) => Promise<T>): Promise<T> {
  const run = () =>
    db.transaction(async (manager) => {
      const tx = Object.freeze({}) as Tx;
      managers.set(tx, manager);
      try {
        return await work(tx);
      } finally {
        managers.delete(tx);
      }
    });
  if (db.options.type !== 'better-sqlite3') return run();
  const previous = queues.get(db) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(run);
  queues.set(
    db,
    next.catch(() => undefined),
  );
  return next;
}

/** Runs work in one transaction; the interface services depend on (fakes implement it in tests). */
@Injectable()
export class TransactionRunner {
  constructor(
    private readonly db: DataSource,
    @Optional() private readonly metrics?: ManagerMetrics,
  ) {}

  /**
   * Commits when `work` resolves, rolls back when it throws. A transaction the database
   * refused (on PostgreSQL two writers of the audit chain collide on its head row) is run
   * again from the start: the work must only write through the Tx it is given.
   */
  async run<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    const measured = this.metrics?.startTransaction();
    try {
      const result = await retry(() => inTransaction(this.db, work), {
        retryIf: (error) => error instanceof QueryFailedError,
      });
      measured?.('commit');
      return result;
    } catch (error) {
      measured?.('rollback');
      throw error;
    }
  }
}
