// A fake /proc in a temp folder, and a SignalSender that "ends" fixture processes by
// removing their folder — for the logic that needs sessions, uids or trees this machine
// cannot give (audit session ids, root-owned processes inside a user's session).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SignalOutcome, SignalSender } from '../signal-sender';

export interface FakeProcess {
  pid: number;
  ppid: number;
  uid: number;
  euid?: number;
  session?: number;
  comm?: string;
  /** stat's state (default S: sleeping); Z for a zombie. */
  state?: string;
  startTicks?: number;
  /** Signals this process ignores (default none; SIGKILL and SIGSTOP cannot be ignored). */
  ignores?: NodeJS.Signals[];
}

export class FakeProc {
  readonly root = mkdtempSync(join(tmpdir(), 'ww-proc-'));
  private readonly ignores = new Map<number, NodeJS.Signals[]>();

  add(p: FakeProcess): this {
    const dir = join(this.root, String(p.pid));
    mkdirSync(dir, { recursive: true });
    const ticks = p.startTicks ?? 1000 + p.pid;
    const comm = p.comm ?? 'sleep';
    // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime prio nice threads itreal starttime vsize rss
    writeFileSync(
      join(dir, 'stat'),
      `${p.pid} (${comm}) ${p.state ?? 'S'} ${p.ppid} ${p.pid} ${p.pid} 0 -1 0 0 0 0 0 ${p.pid} 1 0 0 20 0 1 0 ${ticks} 1000 ${p.pid * 10}\n`,
    );
    const e = p.euid ?? p.uid;
    writeFileSync(join(dir, 'status'), `Name:\t${comm}\nUid:\t${p.uid}\t${e}\t${e}\t${e}\n`);
    writeFileSync(join(dir, 'sessionid'), String(p.session ?? 4294967295));
    this.ignores.set(p.pid, p.ignores ?? []);
    return this;
  }

  readonly signals = {
    sent: [] as { pid: number; signal: NodeJS.Signals }[],
  };

  sender(): SignalSender {
    return {
      send: (pid: number, signal: NodeJS.Signals): SignalOutcome => {
        this.signals.sent.push({ pid, signal });
        if (!this.ignores.has(pid)) return 'gone';
        if (signal === 'SIGSTOP' || this.ignores.get(pid)?.includes(signal)) return 'sent';
        rmSync(join(this.root, String(pid)), { recursive: true, force: true });
        this.ignores.delete(pid);
        return 'sent';
      },
    };
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** A clock that runs at once: sleeps advance it instead of waiting. */
export function instantClock(startMs = 1_700_000_000_000): {
  nowMs(): number;
  sleep(ms: number): Promise<void>;
  slept: number;
} {
  let now = startMs;
  const clock = {
    slept: 0,
    nowMs: () => now,
    sleep: (ms: number) => {
      now += ms;
      clock.slept += ms;
      return Promise.resolve();
    },
  };
  return clock;
}
