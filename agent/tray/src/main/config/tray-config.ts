// The tray's configuration, parsed once at start-up from argv and the
// environment it is handed. Nothing else in the tray reads process.argv or
// process.env, so every other class gets plain typed values.
import { posix, win32 } from 'node:path';
import { z } from 'zod';

export const TrayConfig = z.object({
  /** The agent's dataDir: where it writes local-api.token and local-api.json. */
  agentDataDir: z.string().min(1),
  /** Where the tray writes its own log; null = Electron's per-user logs folder. */
  logsDir: z.string().min(1).nullable(),
  /** Budget for one local-API request, connect to last byte. */
  requestTimeoutMs: z.number().int().min(100).max(60_000),
  /** How often the open status window is refreshed. */
  pollIntervalMs: z.number().int().min(1_000).max(600_000),
  /** How often the response status is read, window open or not: a warning countdown must be seen early. */
  responsePollIntervalMs: z.number().int().min(500).max(60_000),
});
export type TrayConfig = z.infer<typeof TrayConfig>;

export type TrayPlatform = 'linux' | 'darwin' | 'win32' | (string & {});

export const AGENT_DATA_DIR_FLAG = '--agent-data-dir';
export const LOGS_DIR_FLAG = '--logs-dir';
export const AGENT_DATA_DIR_ENV = 'WARDWATCH_AGENT_DATA_DIR';
export const LOGS_DIR_ENV = 'WARDWATCH_TRAY_LOGS_DIR';

/** Where the agent keeps its data when installed as a service on each OS. */
export function defaultAgentDataDir(platform: TrayPlatform, env: Readonly<Record<string, string | undefined>>): string {
  if (platform === 'win32') return win32.join(env.ProgramData ?? 'C:\\ProgramData', 'WardWatch');
  if (platform === 'darwin') return '/Library/Application Support/WardWatch';
  return '/var/lib/wardwatch';
}

/** Reads `--flag value` or `--flag=value`; an empty or missing value is an error, not a silent default. */
export function readFlag(argv: readonly string[], flag: string): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === flag) {
      const value = argv[i + 1];
      if (value === undefined || value === '' || value.startsWith('--'))
        throw new TrayConfigError(`${flag} needs a folder after it`);
      return value;
    }
    if (arg.startsWith(`${flag}=`)) {
      const value = arg.slice(flag.length + 1);
      if (value === '') throw new TrayConfigError(`${flag}= needs a folder after it`);
      return value;
    }
  }
  return undefined;
}

export class TrayConfigError extends Error {
  override readonly name = 'TrayConfigError';
}

export interface TrayConfigSources {
  argv: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
  platform: TrayPlatform;
}

/** argv wins over the environment, which wins over the per-OS default. */
export function loadTrayConfig(sources: TrayConfigSources): TrayConfig {
  const { argv, env, platform } = sources;
  const path = platform === 'win32' ? win32 : posix;
  const fromEnv = (name: string) => (env[name] === '' ? undefined : env[name]);
  const agentDataDir =
    readFlag(argv, AGENT_DATA_DIR_FLAG) ?? fromEnv(AGENT_DATA_DIR_ENV) ?? defaultAgentDataDir(platform, env);
  const logsDir = readFlag(argv, LOGS_DIR_FLAG) ?? fromEnv(LOGS_DIR_ENV) ?? null;
  const parsed = TrayConfig.safeParse({
    agentDataDir: path.resolve(agentDataDir),
    logsDir: logsDir === null ? null : path.resolve(logsDir),
    requestTimeoutMs: 3_000,
    pollIntervalMs: 5_000,
    responsePollIntervalMs: 2_000,
  });
  if (!parsed.success) throw new TrayConfigError(`invalid tray configuration: ${z.prettifyError(parsed.error)}`);
  return Object.freeze(parsed.data);
}
