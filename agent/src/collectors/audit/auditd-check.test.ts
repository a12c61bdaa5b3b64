import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ComponentState } from '../../status/component-health';
import { AuditFeed } from './audit-feed';
import { AuditdCheck, auditctlStatus, auditdFinding, procName } from './auditd-check';
import { auditdRunning } from './auditd.fixture';

const status = (enabled: number, pid: number) =>
  `enabled ${enabled}\nfailure 1\npid ${pid}\nrate_limit 0\nbacklog_limit 8192\nlost 0\nbacklog 0\n`;
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

describe('whether anything writes the audit log', () => {
  it('is auditd alive at the pid the kernel names; a dead or reused pid, none, or audit off is blind', async () => {
    // Real processes: this test's own pid is `node`, not auditd; a pid above pid_max is nobody.
    const names = new Map([[4242, 'auditd']]);
    const nameOf = async (pid: number) => names.get(pid) ?? (await procName(pid));
    expect(await auditdFinding(status(1, 4242), nameOf)).toEqual({ state: 'running', level: 'info', text: '' });
    expect(await auditdFinding(status(2, 4242), nameOf)).toMatchObject({ state: 'running' }); // locked
    const dead = {
      state: 'failed',
      level: 'warn',
      text: expect.stringMatching(/^auditd is not running: executions/) as string,
    };
    expect(await auditdFinding(status(1, process.pid), nameOf)).toEqual(dead);
    expect(await auditdFinding(status(1, 4_194_305), nameOf)).toEqual(dead);
    expect(await auditdFinding(status(1, 0), nameOf)).toEqual(dead);
    expect(await auditdFinding(status(0, 4242), nameOf)).toEqual({
      state: 'failed',
      level: 'warn',
      text: expect.stringMatching(/^the kernel audit is off \(auditctl -e 0\)/) as string,
    });
    // Not root, no auditctl, or output it does not know: not known, and no state claimed.
    for (const text of [undefined, 'Error sending status request (Operation not permitted)\n'])
      expect(await auditdFinding(text, nameOf)).toEqual({
        level: 'info',
        text: expect.stringMatching(/cannot be read/) as string,
      });
  });

  it('runs while the audit log is followed, and says a change once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ww-auditd-check-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, 'audit.log'), '');
    let text = status(1, 4242);
    const reported: [string, ComponentState, string | undefined][] = [];
    const logged: string[] = [];
    const check = new AuditdCheck({
      status: () => Promise.resolve(text),
      nameOf: (pid) => Promise.resolve(pid === 4242 ? 'auditd' : undefined),
      health: { report: (name, state, message) => reported.push([name, state, message]) },
      log: (level, message) => logged.push(`${level}: ${message}`),
      everyMs: 60_000,
    });
    const feed = new AuditFeed({ path: join(dir, 'audit.log'), writerCheck: check });
    feed.acquire(); // the first user: the check starts
    await check.check();
    expect(reported).toEqual([['collector.audit', 'running', undefined]]);
    text = status(1, 4243); // auditd killed, its pid not yet cleared by the kernel
    await check.check();
    await check.check();
    expect(reported.slice(1)).toEqual([
      ['collector.audit', 'failed', expect.stringContaining('auditd is not running')],
    ]);
    expect(logged).toEqual([expect.stringMatching(/^warn: auditd is not running/)]);
    feed.release(); // the last user gone: no more checks
    text = status(1, 4242);
    await check.check();
    expect(reported).toHaveLength(2);
  });

  it.runIf(auditdRunning())("finds this machine's auditd alive (live)", async () => {
    expect(await auditdFinding(await auditctlStatus(), procName)).toMatchObject({ state: 'running' });
  });
});
