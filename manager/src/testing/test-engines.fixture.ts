// The engines database tests run on: SQLite always; PostgreSQL when reachable,
// required under CI=true (then an unreachable server fails the run loudly).
import type { DatabaseConfig } from '../config/config.schema';
import {
  postgresTestDatabase,
  postgresUnavailable,
  sqliteTestDatabase,
  TEST_PG_URL,
  type TestDatabase,
} from './test-databases.fixture';

const pgProblem = await postgresUnavailable();
if (pgProblem) {
  if (process.env.CI === 'true')
    throw new Error(`PostgreSQL at ${TEST_PG_URL} is required under CI=true: ${pgProblem}`);
  console.warn(`skipping PostgreSQL tests: ${TEST_PG_URL} unreachable (${pgProblem})`);
}

export const testEngines: { name: DatabaseConfig['kind']; make: () => TestDatabase; skip: boolean }[] = [
  { name: 'sqlite', make: sqliteTestDatabase, skip: false },
  { name: 'postgres', make: postgresTestDatabase, skip: pgProblem !== undefined },
];
