// Builds the TypeORM DataSource for the configured engine. The schema comes only
// from migrations (run on every start); `synchronize` stays off.
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataSource, type DataSourceOptions } from 'typeorm';
import type { DatabaseConfig } from '../config/config.schema';
import { migrations } from './migrations';

/** The entities are given by the caller (the root `entities.ts`), so this edge imports no feature. */
export type EntityList = NonNullable<DataSourceOptions['entities']>;

export function createDataSource(config: DatabaseConfig, entities: EntityList): DataSource {
  if (config.kind === 'sqlite') {
    mkdirSync(dirname(config.file), { recursive: true, mode: 0o700 });
    return new DataSource({
      type: 'better-sqlite3',
      database: config.file,
      enableWAL: true,
      // The manager and its CLI may open the file at the same time; wait for a lock instead of failing.
      timeout: 10_000,
      entities,
      migrations,
      migrationsRun: true,
      synchronize: false,
      logging: false,
    });
  }
  return new DataSource({
    type: 'postgres',
    url: config.url,
    schema: config.schema,
    entities,
    migrations,
    migrationsRun: true,
    synchronize: false,
    logging: false,
    // Unqualified names in raw SQL resolve to our schema too.
    extra: {
      max: 10,
      connectionTimeoutMillis: 5_000,
      ...(config.schema ? { options: `-c search_path=${config.schema}` } : {}),
    },
  });
}

/** Opens the database and brings its schema up to date. A PostgreSQL schema is created when named and missing. */
export async function openDatabase(config: DatabaseConfig, entities: EntityList): Promise<DataSource> {
  if (config.kind === 'postgres' && config.schema) await ensureSchema(config.url, config.schema);
  if (config.kind === 'sqlite') privateFile(config.file);
  const dataSource = createDataSource(config, entities);
  await dataSource.initialize();
  // SQLite gives its -wal and -shm files the database file's mode; an older install's may be looser.
  if (config.kind === 'sqlite') for (const suffix of ['-wal', '-shm']) privateFile(config.file + suffix, false);
  return dataSource;
}

/**
 * The SQLite file holds password hashes and session tokens: owner only (0600). A new
 * file is created empty with that mode before SQLite opens it (an empty file is an
 * empty database), so it is never readable by others, not even for a moment.
 */
function privateFile(path: string, create = true): void {
  if (!existsSync(path)) {
    if (!create) return;
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    closeSync(openSync(path, 'a', 0o600));
  }
  chmodSync(path, 0o600);
}

async function ensureSchema(url: string, schema: string): Promise<void> {
  const bootstrap = new DataSource({ type: 'postgres', url, extra: { max: 1, connectionTimeoutMillis: 5_000 } });
  await bootstrap.initialize();
  try {
    // The name was checked against a strict identifier pattern when the config was parsed.
    await bootstrap.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  } finally {
    await bootstrap.destroy();
  }
}
