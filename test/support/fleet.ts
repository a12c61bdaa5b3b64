// One real manager (embedded SQLite, temp data folder) and one real agent enrolled
// to it, as separate processes, for the end-to-end tests.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventPage, type EventView } from '@wardwatch/shared';
import { signedInGet } from '../../manager/src/testing/json-api.fixture';
import type { ServiceProcess } from '../../scripts/lib/child-process';
import {
  agentEntry,
  createEnrollmentToken,
  managerEntry,
  startAgent,
  startManager,
  writeAgentConfig,
  type ManagerOptions,
  type RunningManager,
} from '../../scripts/lib/wardwatch';

export const ADMIN_PASSWORD = 'e2e-admin-password-1234';

export interface Fleet {
  root: string;
  manager: RunningManager;
  managerOptions: ManagerOptions;
  agent: ServiceProcess;
  agentDataDir: string;
  /** The agent's config file, to start it again. */
  agentConfig: string;
  phiFolder: string;
  /** A watched folder of class `other` (a shared drop folder): where patient files may be copied out to. */
  otherFolder: string;
  authLog: string;
  stop(): Promise<void>;
}

export function assertBuilt(): void {
  for (const entry of [managerEntry, agentEntry]) {
    if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build\` before the end-to-end tests`);
  }
}

export interface FleetOptions {
  /** The agent's `scoring:` config section. */
  scoring?: Record<string, unknown>;
  /** Runs on the manager's data folder before the manager starts (e.g. to place a fleet model). */
  prepareManager?: (managerDataDir: string) => Promise<void>;
  /** More WARDWATCH_… settings for the manager. */
  managerEnv?: Record<string, string>;
  /** The agent's local API port (default: any free one). */
  localApiPort?: number;
  /** The agent's `budget:` config section. */
  budget?: Record<string, unknown>;
  /** The agent's `protection:` config section. */
  protection?: Record<string, unknown>;
  /**
   * The agent's `response:` config section. Default: the fanotify gate off — these fleets test the
   * manager's path (alert → playbook → command), and some tests write encrypted-looking files from
   * the test process itself, which the gate would stop. The gate has its own tests
   * (agent/src/response/fanotify/) and the response bench measures both paths.
   */
  response?: Record<string, unknown>;
}

export async function startFleet(options: FleetOptions = {}): Promise<Fleet> {
  assertBuilt();
  const root = mkdtempSync(join(tmpdir(), 'wardwatch-e2e-'));
  const phiFolder = join(root, 'patient-records');
  const otherFolder = join(root, 'shared-drop');
  const authLog = join(root, 'auth.log');
  mkdirSync(phiFolder, { recursive: true });
  mkdirSync(otherFolder, { recursive: true });
  writeFileSync(authLog, '');

  const managerOptions: ManagerOptions = {
    dataDir: join(root, 'manager'),
    env: {
      WARDWATCH_ADMIN_PASSWORD: ADMIN_PASSWORD,
      WARDWATCH_GRPC_HOST: '127.0.0.1',
      // The scripted admin signs in with a password alone; second factors have their own test.
      WARDWATCH_MFA_REQUIRED_ROLES: 'none',
      WARDWATCH_SINGLE_PERSON_SITE: 'end-to-end tests act as one person',
      ...options.managerEnv,
    },
  };
  await options.prepareManager?.(managerOptions.dataDir);
  const manager = await startManager(managerOptions);
  const stopManager = () => manager.process.stop();
  try {
    const { token } = await createEnrollmentToken(managerOptions);
    const agentDataDir = join(root, 'agent');
    const config = writeAgentConfig({
      dataDir: agentDataDir,
      managerAddress: `127.0.0.1:${manager.grpcPort}`,
      caFingerprint: manager.caFingerprint,
      token,
      watchFolders: [
        { path: phiFolder, class: 'phi' },
        { path: otherFolder, class: 'other' },
      ],
      authLog,
      heartbeatSeconds: 1,
      scoring: options.scoring,
      localApiPort: options.localApiPort,
      budget: options.budget,
      protection: options.protection,
      response: options.response ?? { gate: { enabled: false } },
    });
    const agent = startAgent(config);
    await agent
      .waitForLog((line) => line.msg === 'agent connected', 60_000)
      .catch(async (error: unknown) => {
        await agent.stop();
        throw error;
      });
    return {
      root,
      manager,
      managerOptions,
      agent,
      agentDataDir,
      agentConfig: config,
      phiFolder,
      otherFolder,
      authLog,
      stop: async () => {
        await agent.stop();
        await stopManager();
        rmSync(root, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await stopManager();
    throw error;
  }
}

/** Signs in to the manager's REST API as the admin and returns a GET that carries the session cookie. */
export function signIn(httpUrl: string, password = ADMIN_PASSWORD): Promise<(path: string) => Promise<Response>> {
  return signedInGet({ httpUrl }, 'admin', password);
}

/** Polls `probe` (synchronous or not) until it returns a value or the time runs out. */
export async function eventually<T>(
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Finds, within 15 s, the first stored event of `query` that `match` accepts. */
export function eventFinder(get: (path: string) => Promise<Response>) {
  return (query: string, match: (event: EventView) => boolean) =>
    eventually(
      async () => {
        const response = await get(`/api/v1/events?${query}`);
        if (!response.ok) return undefined;
        return EventPage.parse(await response.json()).items.find(match);
      },
      15_000,
      `an event for ${query}`,
    );
}
