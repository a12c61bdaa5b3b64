// Real OS fixtures for the Linux action tests (root only): throw-away accounts, processes
// started as them, and a way to find a marked process tree in /proc. Everything made here
// is removed by cleanup(), which the tests call in afterAll (also after a failure).
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';

export const isRoot = process.platform === 'linux' && process.getuid?.() === 0;

export interface TestAccount {
  name: string;
  uid: number;
  gid: number;
}

export class OsFixture {
  private readonly accounts: string[] = [];
  private readonly children: ChildProcess[] = [];

  createAccount(password?: string): TestAccount {
    const name = `wwtest${randomBytes(4).toString('hex')}`;
    execFileSync('useradd', ['-m', '-s', '/bin/sh', name]);
    this.accounts.push(name);
    if (password) execFileSync('chpasswd', [], { input: `${name}:${password}\n` });
    const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }));
    const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }));
    return { name, uid, gid };
  }

  /** A shell script run as the account in a session of its own (setsid), marked in its environment. */
  spawnAs(account: TestAccount | undefined, script: string, mark: string): ChildProcess {
    const child = spawn('sh', ['-c', script], {
      detached: true,
      stdio: 'ignore',
      env: { PATH: '/usr/bin:/bin', WW_TEST_MARK: mark },
      ...(account ? { uid: account.uid, gid: account.gid } : {}),
    });
    child.on('error', () => undefined);
    this.children.push(child);
    return child;
  }

  cleanup(): void {
    for (const child of this.children) {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    for (const name of this.accounts) {
      try {
        execFileSync('pkill', ['-KILL', '-u', name], { stdio: 'ignore' });
      } catch {
        // no process left
      }
      try {
        execFileSync('userdel', ['-r', name], { stdio: 'ignore' });
      } catch {
        // userdel -r complains about a missing mail spool; the account is gone anyway
      }
    }
  }
}

export function newMark(): string {
  return `ww-${randomBytes(6).toString('hex')}`;
}

/** Live (not zombie) pids whose environment carries the mark. */
export function markedPids(mark: string): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      if (/\) [ZX] /.test(stat)) continue;
      if (readFileSync(`/proc/${name}/environ`, 'latin1').split('\0').includes(`WW_TEST_MARK=${mark}`))
        out.push(Number(name));
    } catch {
      // ended while we looked
    }
  }
  return out;
}

/** Live pids owned (real uid) by the account. */
export function pidsOfUid(uid: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (/\) [ZX] /.test(readFileSync(`/proc/${name}/stat`, 'utf8'))) continue;
      const m = /^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${name}/status`, 'utf8'));
      if (m && Number(m[1]) === uid) out.push(Number(name));
    } catch {
      // ended while we looked
    }
  }
  return out;
}

export async function until(check: () => boolean, timeoutMs = 5_000): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return check();
}
