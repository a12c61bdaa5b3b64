// A fresh database on one engine for the tests of one describe block, with the services wired
// on it: opened before the block's tests (unless the engine is skipped), closed and dropped after.
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll } from 'vitest';
import { servicesOn } from './services.fixture';
import type { TestDatabase } from './test-databases.fixture';
import type { TestEngine } from './test-engines.fixture';

export interface OpenTestDatabase {
  readonly db: DataSource;
  readonly services: ReturnType<typeof servicesOn>;
}

/** Call inside `describe`; read `db` and `services` inside its tests, where they are open. */
export function databaseForTests(engine: Pick<TestEngine, 'make' | 'skip'>): OpenTestDatabase {
  let database: TestDatabase | undefined;
  let open: OpenTestDatabase | undefined;
  beforeAll(async () => {
    if (engine.skip) return;
    database = engine.make();
    const db = await database.open();
    open = { db, services: servicesOn(db) };
  });
  afterAll(async () => {
    await open?.db.destroy();
    await database?.dispose();
  });
  const opened = (): OpenTestDatabase => {
    if (!open) throw new Error('the test database is open only inside the tests of its describe block');
    return open;
  };
  return {
    get db() {
      return opened().db;
    },
    get services() {
      return opened().services;
    },
  };
}
