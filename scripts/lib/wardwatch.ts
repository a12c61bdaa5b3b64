// Starts the real manager and agent processes from their build output. Shared by
// `npm start` (scripts/start.ts) and the end-to-end tests (test/e2e/).
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startService, type StartOptions, type ServiceProcess } from './child-process';

export const repoRoot = join(__dirname, '..', '..');
export const managerEntry = join(repoRoot, 'manager', 'dist', 'main.js');
export const agentEntry = join(repoRoot, 'agent', 'dist', 'cli', 'main.js');

export interface RunningManager {
  process: ServiceProcess;
  httpUrl: string;
  grpcPort: number;
  caFingerprint: string;
}

export interface ManagerOptions extends StartOptions {
  dataDir: string;
  httpPort?: number;
  grpcPort?: number;
}

function managerEnv(options: ManagerOptions): NodeJS.ProcessEnv {
  return {
    WARDWATCH_DATA_DIR: options.dataDir,
    WARDWATCH_HTTP_PORT: String(options.httpPort ?? 0),
    WARDWATCH_GRPC_PORT: String(options.grpcPort ?? 0),
    ...options.env,
  };
}

export async function startManager(options: ManagerOptions, readyTimeoutMs = 60_000): Promise<RunningManager> {
  const proc = startService('manager', process.execPath, [managerEntry], { ...options, env: managerEnv(options) });
  try {
    const ready = await proc.waitForLog((line) => line.msg === 'manager ready', readyTimeoutMs);
    return {
      process: proc,
      httpUrl: String(ready.httpUrl),
      grpcPort: Number(ready.grpcPort),
      caFingerprint: String(ready.caFingerprint),
    };
  } catch (error) {
    await proc.stop();
    throw error;
  }
}

export interface EnrollmentToken {
  token: string;
  expiresAt: number;
  caFingerprint: string;
}

/** Creates a single-use enrollment token through the manager's own CLI. */
export async function createEnrollmentToken(options: ManagerOptions, ttlMinutes = 30): Promise<EnrollmentToken> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [managerEntry, 'enrollment-token', 'create', '--ttl-minutes', String(ttlMinutes)],
    { env: { ...process.env, ...managerEnv(options) }, timeout: 60_000 },
  );
  const line = stdout
    .trim()
    .split('\n')
    .reverse()
    .find((l) => l.includes('"token"'));
  if (!line) throw new Error(`enrollment-token create printed no token:\n${stdout}`);
  return JSON.parse(line) as EnrollmentToken;
}

export interface AgentSetup {
  dataDir: string;
  managerAddress: string;
  caFingerprint: string;
  token?: string;
  watchFolders: { path: string; class: 'phi' | 'other' }[];
  authLog?: string;
  localApiPort?: number;
  heartbeatSeconds?: number;
  /** The agent's `scoring:` section (agent/src/config/scoring-settings.ts); absent = defaults. */
  scoring?: Record<string, unknown>;
  /** The agent's `budget:` section (events per second by class); absent = defaults. */
  budget?: Record<string, unknown>;
  /** The agent's `protection:` section (the version store); absent = defaults. */
  protection?: Record<string, unknown>;
  /** The agent's `response:` section (e.g. the fanotify gate); absent = defaults. */
  response?: Record<string, unknown>;
}

/** Writes the agent's YAML config (JSON is valid YAML) and returns its path. */
export function writeAgentConfig(setup: AgentSetup): string {
  // The agent's folder and config (it may hold the enrollment token): its account only.
  mkdirSync(setup.dataDir, { recursive: true, mode: 0o700 });
  chmodSync(setup.dataDir, 0o700);
  const config = {
    manager: { address: setup.managerAddress, caFingerprint: setup.caFingerprint },
    ...(setup.token ? { enrollment: { token: setup.token } } : {}),
    dataDir: setup.dataDir,
    watch: { folders: setup.watchFolders },
    ...(setup.authLog ? { logins: { authLog: setup.authLog } } : {}),
    localApi: { port: setup.localApiPort ?? 0 },
    heartbeatSeconds: setup.heartbeatSeconds ?? 5,
    ...(setup.scoring ? { scoring: setup.scoring } : {}),
    ...(setup.budget ? { budget: setup.budget } : {}),
    ...(setup.protection ? { protection: setup.protection } : {}),
    ...(setup.response ? { response: setup.response } : {}),
    // The policy's idle-lock drop-in and sealed `~/` folders stay in the agent's folder: a test or
    // demo run never edits logind's nor seals the developer's own Downloads.
    policy: {
      logindDropInDir: join(setup.dataDir, 'logind.conf.d'),
      reloadLogind: false,
      sealingHome: join(setup.dataDir, 'home'),
    },
  };
  const path = join(setup.dataDir, 'agent.yaml');
  writeFileSync(path, `# Written by WardWatch's start script; edit freely.\n${JSON.stringify(config, null, 2)}\n`, {
    mode: 0o600,
  });
  chmodSync(path, 0o600);
  return path;
}

export function startAgent(configPath: string, options: StartOptions = {}): ServiceProcess {
  return startService('agent', process.execPath, [agentEntry, 'run', '--config', configPath], options);
}
