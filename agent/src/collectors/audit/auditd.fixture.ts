// Whether this machine's auditd runs and this test may add rules (root, CAP_AUDIT_CONTROL):
// the live audit tests run only then.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { DEFAULT_AUDIT_LOG, isReadable } from './audit-feed';
import { AUDITCTL, parseAuditStatus, type KernelAudit } from './auditd-check';

export { AUDITCTL };

/** The kernel's audit status as `auditctl -s` gives it; undefined where it cannot be read. */
export function kernelAudit(): KernelAudit | undefined {
  if (!existsSync(AUDITCTL)) return undefined;
  try {
    return parseAuditStatus(execFileSync(AUDITCTL, ['-s'], { encoding: 'utf8' }));
  } catch {
    return undefined; // e.g. not root, or a container without CAP_AUDIT_CONTROL
  }
}

export function auditdRunning(): boolean {
  if (
    process.platform !== 'linux' ||
    process.getuid?.() !== 0 ||
    !existsSync(AUDITCTL) ||
    !isReadable(DEFAULT_AUDIT_LOG)
  )
    return false;
  const pid = kernelAudit()?.pid;
  // A killed auditd's pid stays named until the kernel next fails to hand it a record (auditd-check.ts).
  try {
    return pid !== undefined && pid > 0 && readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'auditd';
  } catch {
    return false;
  }
}
