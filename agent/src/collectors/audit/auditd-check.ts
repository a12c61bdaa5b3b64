// Whether anything still writes the audit log. Executions, file actors and reads
// all come from it; when auditd dies (or someone with root kills it) or the
// kernel's audit is switched off (`auditctl -e 0`), the log just stops growing,
// which looks exactly like a quiet workstation. The kernel also goes on naming a
// killed auditd's pid until it next fails to hand it a record, so the pid is
// checked to still be auditd. `collector.audit` says which.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import type { HealthReporter } from '../../status/component-health';
import { type AuditFinding, PeriodicAuditCheck } from './periodic-audit-check';

export const AUDIT_COMPONENT = 'collector.audit';
/** Debian's and Red Hat's place for it; where it is missing the checks say "not known". */
export const AUDITCTL = '/usr/sbin/auditctl';

/** The kernel's audit status (`auditctl -s`); undefined when it cannot be read (not root, no auditctl). */
export type AuditStatusReader = () => Promise<string | undefined>;
/** The name of a running process (`/proc/<pid>/comm`); undefined when there is none. */
export type ProcessNamer = (pid: number) => Promise<string | undefined>;

export const auditctlStatus: AuditStatusReader = () =>
  new Promise((resolve) => {
    execFile(AUDITCTL, ['-s'], { timeout: 5_000 }, (error, stdout) => resolve(error ? undefined : stdout));
  });

export const procName: ProcessNamer = (pid) =>
  readFile(`/proc/${pid}/comm`, 'utf8').then(
    (name) => name.trim(),
    () => undefined,
  );

export interface KernelAudit {
  /** 0 off, 1 on, 2 on and locked. */
  enabled: number;
  /** The audit daemon the kernel hands records to; 0 none. */
  pid: number;
}

export function parseAuditStatus(text: string): KernelAudit | undefined {
  const enabled = /^enabled (\d)$/m.exec(text)?.[1];
  const pid = /^pid (\d+)$/m.exec(text)?.[1];
  return enabled === undefined || pid === undefined ? undefined : { enabled: Number(enabled), pid: Number(pid) };
}

/** What the kernel's status and its daemon's process say about the audit log being written. */
export async function auditdFinding(status: string | undefined, nameOf: ProcessNamer): Promise<AuditFinding> {
  const kernel = status === undefined ? undefined : parseAuditStatus(status);
  if (!kernel) return { level: 'info', text: UNKNOWN };
  if (kernel.enabled === 0) return { state: 'failed', level: 'warn', text: OFF };
  if (kernel.pid === 0 || (await nameOf(kernel.pid)) !== 'auditd')
    return { state: 'failed', level: 'warn', text: NO_DAEMON };
  return { state: 'running', level: 'info', text: '' };
}

const BLIND = 'executions, file actors and reads of patient files are not recorded';
const UNKNOWN = 'the kernel audit status cannot be read (auditctl -s): whether auditd writes the log is not known';
const OFF = `the kernel audit is off (auditctl -e 0): ${BLIND}`;
const NO_DAEMON = `auditd is not running: ${BLIND}`;

export interface AuditdCheckOptions {
  status?: AuditStatusReader;
  nameOf?: ProcessNamer;
  health?: HealthReporter;
  log?: (level: 'info' | 'warn', message: string) => void;
  everyMs?: number;
}

/** Checks at start and every minute while the audit log is followed. */
export class AuditdCheck extends PeriodicAuditCheck {
  constructor({ status = auditctlStatus, nameOf = procName, health, log, everyMs = 60_000 }: AuditdCheckOptions = {}) {
    super({
      component: AUDIT_COMPONENT,
      health,
      log,
      everyMs,
      inspect: async () => auditdFinding(await status(), nameOf),
    });
  }
}
