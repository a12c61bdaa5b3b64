// A real manager for tests, in-process: temp data folder, embedded SQLite (or a
// given database), HTTP and gRPC on 127.0.0.1 with ports chosen by the OS.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { webcrypto, KeyObject } from 'node:crypto';
import type { CommandIssuer } from '../commands/command-issuer';
import { parseConfig, type DatabaseConfig, type ManagerConfig } from '../config/config.schema';
import { JsonLogger, type LogFields } from '../logging/json-logger';
import { startManager, type RunningManager } from '../manager.app';
import { useNodeCrypto, x509 } from '../pki/x509';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll } from 'vitest';
import { AgentEntity } from '../agents/agent.entity';
import type { TestDatabase } from './test-databases.fixture';
import type { TestEngine } from './test-engines.fixture';
import { signedInGet } from './json-api.fixture';

// jsonApi is in json-api.fixture.ts, free of the manager's code (tests of manager processes use it
// too); tests of an in-process manager may import it from here.
export { jsonApi } from './json-api.fixture';

export const TEST_ADMIN_PASSWORD = 'test-admin-password-1234';

export interface TestManager extends RunningManager {
  config: ManagerConfig;
  logs: LogFields[];
  banner: string[];
  stop(): Promise<void>;
}

export async function startTestManager(
  options: {
    database?: DatabaseConfig;
    adminPassword?: string | null;
    dashboardDir?: string;
    /** More WARDWATCH_… settings (limits, thresholds) for the test. */
    env?: Record<string, string>;
    /** The issuer approved proposals go out through (a recording one in tests). */
    commandIssuer?: CommandIssuer;
  } = {},
): Promise<TestManager> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ww-manager-test-'));
  const env: Record<string, string> = {
    WARDWATCH_DATA_DIR: dataDir,
    WARDWATCH_HTTP_PORT: '0',
    WARDWATCH_GRPC_PORT: '0',
    WARDWATCH_GRPC_HOST: '127.0.0.1',
    WARDWATCH_LOG_LEVEL: 'debug',
    // The suite's scrypt cost (vitest.config.mts), unless a test sets its own.
    ...(process.env.WARDWATCH_PASSWORD_SCRYPT_LOG2N
      ? { WARDWATCH_PASSWORD_SCRYPT_LOG2N: process.env.WARDWATCH_PASSWORD_SCRYPT_LOG2N }
      : {}),
    // Tests sign in with a password alone unless they test second factors (auth/mfa/).
    WARDWATCH_MFA_REQUIRED_ROLES: 'none',
    // Tests act as one person unless they test the second-person rule (duty-requests/): '' turns it on.
    WARDWATCH_SINGLE_PERSON_SITE: 'tests act as a single-person site',
    ...options.env,
  };
  if (options.adminPassword !== null) env.WARDWATCH_ADMIN_PASSWORD = options.adminPassword ?? TEST_ADMIN_PASSWORD;
  const config = parseConfig(env, dataDir);
  if (options.database) config.database = options.database;
  const logs: LogFields[] = [];
  const banner: string[] = [];
  const logger = new JsonLogger('debug', { write: (line) => logs.push(JSON.parse(line) as LogFields) });
  const running = await startManager(config, logger, {
    banner: { write: (text) => banner.push(text) },
    dashboardDir: options.dashboardDir,
    commandIssuer: options.commandIssuer,
  });
  return {
    ...running,
    config,
    logs,
    banner,
    stop: async () => {
      await running.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A key pair and PKCS#10 request, as an agent makes them. */
export async function makeKeyAndCsr(commonName = 'ward3-ws12'): Promise<{ privateKeyPem: string; csrPem: string }> {
  useNodeCrypto();
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
  const keys = await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify']);
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: [{ CN: [commonName] }],
    keys: keys,
    signingAlgorithm: alg,
  });
  return {
    privateKeyPem: KeyObject.from(keys.privateKey).export({ type: 'pkcs8', format: 'pem' }).toString(),
    csrPem: csr.toString('pem'),
  };
}

/** Signs in as the bootstrap admin and returns a GET that carries the session cookie. */
export function adminGet(manager: TestManager): Promise<(path: string) => Promise<Response>> {
  return signedInGet(manager, 'admin', TEST_ADMIN_PASSWORD);
}

/**
 * A manager on a fresh database of one engine for the tests of one describe block: started
 * before them (unless the engine is skipped), stopped and its database dropped after. Read
 * `manager` inside the tests.
 */
export function managerForTests(
  engine: Pick<TestEngine, 'make' | 'skip'>,
  env?: Record<string, string>,
): { readonly manager: TestManager } {
  let database: TestDatabase | undefined;
  let started: TestManager | undefined;
  beforeAll(async () => {
    if (engine.skip) return;
    database = engine.make();
    started = await startTestManager({ database: database.config, env });
  });
  afterAll(async () => {
    await started?.stop();
    await database?.dispose();
  });
  return {
    get manager() {
      if (!started) throw new Error('the test manager runs only inside the tests of its describe block');
      return started;
    },
  };
}

/** An enrolled-looking, offline agent row, straight into the database (for tests that need one to exist). */
export async function insertOfflineAgent(manager: TestManager, id: string, hostname = 'ward3-ws12'): Promise<void> {
  await manager.app.get(DataSource).getRepository(AgentEntity).insert({
    id,
    hostname,
    os: 'linux',
    osVersion: '6',
    version: '0.1.0',
    status: 'offline',
    enrolledAt: 1,
    lastSeenAt: null,
    certFingerprint: 'x',
    stats: null,
  });
}
