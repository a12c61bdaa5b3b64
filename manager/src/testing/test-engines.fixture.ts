// The engines database tests run on: SQLite always; PostgreSQL when reachable,
// required under CI=true (then an unreachable server fails the run loudly).
// Reachability is probed synchronously in a child process, so that test files can
// list the engines at collection time without a top-level await.
import { spawnSync } from 'node:child_process';
import type { DatabaseConfig } from '../config/config.schema';
import { postgresTestDatabase, sqliteTestDatabase, TEST_PG_URL, type TestDatabase } from './test-databases.fixture';

const PROBE = `
const { Client } = require('pg');
const client = new Client({ connectionString: process.argv[1], connectionTimeoutMillis: 2000 });
client.connect().then(() => client.query('SELECT 1')).then(
  () => client.end().then(() => process.exit(0)),
  (error) => { process.stderr.write(String(error && error.message)); process.exit(1); },
);`;

function postgresProblem(): string | undefined {
  const probe = spawnSync(process.execPath, ['-e', PROBE, TEST_PG_URL], { encoding: 'utf8', timeout: 5_000 });
  if (probe.status === 0) return undefined;
  return probe.stderr.trim() || probe.error?.message || `probe exited with ${String(probe.status)}`;
}

const pgProblem = postgresProblem();
if (pgProblem) {
  if (process.env.CI === 'true')
    throw new Error(`PostgreSQL at ${TEST_PG_URL} is required under CI=true: ${pgProblem}`);
  console.warn(`skipping PostgreSQL tests: ${TEST_PG_URL} unreachable (${pgProblem})`);
}

export interface TestEngine {
  name: DatabaseConfig['kind'];
  make: () => TestDatabase;
  skip: boolean;
}

export const testEngines: TestEngine[] = [
  { name: 'sqlite', make: sqliteTestDatabase, skip: false },
  { name: 'postgres', make: postgresTestDatabase, skip: pgProblem !== undefined },
];
