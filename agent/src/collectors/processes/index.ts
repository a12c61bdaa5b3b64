export {
  COLLECTOR_NAME,
  ProcessCollector,
  type ProcessCollectorOptions,
  type ProcessCollectorStats,
} from './process-collector';
export { createProcessCollector, createProcessSource, DEFAULT_POLL_MS } from './create-process-collector';
export { processKey, type ProcessInfo, type ProcessSource } from './process-source';
export { ProcFsSource, type ProcFsSourceOptions } from './proc-fs-source';
export { SystemInformationSource, type ProcessesProvider } from './systeminformation-source';
export { ProcessTracker, type ProcessChanges } from './process-tracker';
export {
  ExecutableHasher,
  MAX_HASHED_FILE_BYTES,
  sha256File,
  type ExecutableHasherOptions,
  type HasherStats,
} from './executable-hasher';
export {
  capUtf8,
  DEFAULT_MAX_COMMAND_LINE_BYTES,
  redactArgv,
  redactCommandLine,
  REDACTED,
} from './redact-command-line';
export { AuditExecAssembler, type AuditExec } from './audit-execve';
export {
  isKernelThread,
  parseBootTimeSeconds,
  parseCmdline,
  parsePasswd,
  parseProcStat,
  type ProcStat,
} from './proc-stat';
export { PasswdUserNames, type UserNames } from './user-names';
