// Real databases for tests: a SQLite file in a temp folder, and a PostgreSQL
// schema unique to this run (dropped afterwards). When PostgreSQL cannot be
// reached the PostgreSQL cases fail under CI=true and are skipped, saying why, otherwise.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import type { DatabaseConfig } from '../config/config.schema';
import { openDatabase } from '../database/data-source.factory';
import { managerEntities } from '../entities';

/** Tests may point elsewhere with WARDWATCH_TEST_PG_URL. */
export const TEST_PG_URL = process.env.WARDWATCH_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  kind: DatabaseConfig['kind'];
  config: DatabaseConfig;
  open(): Promise<DataSource>;
  dispose(): Promise<void>;
}

export function sqliteTestDatabase(): TestDatabase {
  const dir = mkdtempSync(join(tmpdir(), 'ww-manager-db-'));
  const config: DatabaseConfig = { kind: 'sqlite', file: join(dir, 'test.sqlite') };
  return {
    kind: 'sqlite',
    config,
    open: () => openDatabase(config, managerEntities),
    dispose: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })),
  };
}

export function postgresTestDatabase(): TestDatabase {
  const schema = `ww_test_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const config: DatabaseConfig = { kind: 'postgres', url: TEST_PG_URL, schema };
  return {
    kind: 'postgres',
    config,
    open: () => openDatabase(config, managerEntities),
    dispose: async () => {
      const client = new Client({ connectionString: TEST_PG_URL, connectionTimeoutMillis: 3_000 });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}

/** Undefined when PostgreSQL answers; otherwise the reason. */
export async function postgresUnavailable(): Promise<string | undefined> {
  const client = new Client({ connectionString: TEST_PG_URL, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}
