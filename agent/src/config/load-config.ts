// Reads and validates the config file once at start-up into a typed object.
// Every problem is reported with the file and the field it is about.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { AgentError, ExitCode } from '../errors/agent-error';
import { AgentConfigFile, type AgentConfig } from './config.schema';

export const DEFAULT_AUTH_LOG = '/var/log/auth.log';

export interface LoadConfigDeps {
  readFile?: (path: string) => string;
  exists?: (path: string) => boolean;
}

export function loadConfig(path: string, deps: LoadConfigDeps = {}): AgentConfig {
  const readFile = deps.readFile ?? ((p: string) => readFileSync(p, 'utf8'));
  const exists = deps.exists ?? existsSync;
  const configPath = resolve(path);
  const fail = (detail: string) => new AgentError(`config ${configPath}: ${detail}`, ExitCode.badConfig);

  let text: string;
  try {
    text = readFile(configPath);
  } catch (error) {
    throw fail(`cannot read the file (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  const document = parseDocument(text, { prettyErrors: true });
  if (document.errors.length > 0) throw fail(`not valid YAML: ${document.errors[0].message.split('\n')[0]}`);
  const result = AgentConfigFile.safeParse(document.toJS() ?? {});
  if (!result.success) throw fail(describeIssues(result.error.issues));

  // Relative paths are relative to the config file, not to wherever the service was started.
  const base = dirname(configPath);
  const abs = (p: string) => resolve(base, p);
  const file = result.data;
  const authLog = file.logins.authLog
    ? abs(file.logins.authLog)
    : exists(DEFAULT_AUTH_LOG) || file.logins.source === 'authlog'
      ? DEFAULT_AUTH_LOG
      : null;
  const auditLog = file.processes.auditLog;
  return {
    configPath,
    manager: file.manager,
    enrollment: {
      token: file.enrollment?.token,
      tokenFile: file.enrollment?.tokenFile ? abs(file.enrollment.tokenFile) : undefined,
    },
    dataDir: abs(file.dataDir),
    watch: {
      ...file.watch,
      folders: file.watch.folders.map((f) => ({ path: abs(f.path), class: f.class })),
      syncFolders: { ...file.watch.syncFolders, profileRoots: file.watch.syncFolders.profileRoots?.map(abs) },
      scratchFolders: { ...file.watch.scratchFolders, paths: file.watch.scratchFolders.paths?.map(abs) },
    },
    logins: { authLog, source: file.logins.source, sessions: file.logins.sessions },
    processes: { ...file.processes, auditLog: typeof auditLog === 'string' ? abs(auditLog) : auditLog },
    devices: file.devices,
    network: file.network,
    localApi: file.localApi,
    heartbeatSeconds: file.heartbeatSeconds,
    budget: file.budget,
    watchdog: file.watchdog,
    outbox: file.outbox,
    scoring: { ...file.scoring, rulesDir: file.scoring.rulesDir ? abs(file.scoring.rulesDir) : undefined },
    response: { ...file.response, passwdFile: abs(file.response.passwdFile) },
    policy: { ...file.policy, logindDropInDir: abs(file.policy.logindDropInDir) },
    protection: file.protection,
  };
}

function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .map((issue) => {
      const field = issue.path.length > 0 ? issue.path.map(String).join('.') : '(top level)';
      if (issue.code === 'unrecognized_keys') return `${field}: unknown field(s) ${issue.keys.join(', ')}`;
      if (issue.code === 'invalid_type' && issue.message.includes('received undefined')) return `${field}: is required`;
      return `${field}: ${issue.message}`;
    })
    .join('; ');
}
