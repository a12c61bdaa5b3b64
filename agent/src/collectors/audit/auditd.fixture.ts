// Whether this machine's auditd runs and this test may add rules (root, CAP_AUDIT_CONTROL):
// the live audit tests run only then.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { DEFAULT_AUDIT_LOG, isReadable } from './audit-feed';

export const AUDITCTL = '/usr/sbin/auditctl';

export function auditdRunning(): boolean {
  if (
    process.platform !== 'linux' ||
    process.getuid?.() !== 0 ||
    !existsSync(AUDITCTL) ||
    !isReadable(DEFAULT_AUDIT_LOG)
  )
    return false;
  try {
    return /^pid [1-9]/m.test(execFileSync(AUDITCTL, ['-s'], { encoding: 'utf8' }));
  } catch {
    return false; // e.g. a container without CAP_AUDIT_CONTROL
  }
}
