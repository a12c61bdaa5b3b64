// Whether this machine's auditd runs and this test may add rules (root, CAP_AUDIT_CONTROL):
// the live audit tests run only then.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
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
  let status: string;
  try {
    status = execFileSync(AUDITCTL, ['-s'], { encoding: 'utf8' });
  } catch {
    return false; // e.g. a container without CAP_AUDIT_CONTROL
  }
  // The kernel goes on naming a killed auditd until it next fails to send it a
  // record, and nothing then writes the log: the pid must still be auditd.
  const pid = /^pid ([1-9]\d*)$/m.exec(status)?.[1];
  return pid !== undefined && processName(pid) === 'auditd';
}

function processName(pid: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return undefined; // gone
  }
}
