import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ProcFsSource } from './proc-fs-source';

describe.runIf(process.platform === 'linux')('ProcFsSource (live /proc)', () => {
  it('reports this process with its parent, executable, arguments and start time', async () => {
    const source = new ProcFsSource();
    const self = (await source.snapshot()).find((p) => p.pid === process.pid);
    expect(self).toMatchObject({ ppid: process.ppid, executable: process.execPath, uid: process.getuid?.() });
    expect(self!.argv.join(' ')).toContain(process.argv.slice(1).join(' '));
    // Started before now and after the machine booted, to the clock tick.
    const uptimeStart = Date.now() - process.uptime() * 1000;
    expect(Math.abs(self!.startTimeMs - uptimeStart)).toBeLessThan(3000);
  });

  it('sees a new process, keeps its details across polls, and leaves out kernel threads', async () => {
    const source = new ProcFsSource();
    const before = await source.snapshot();
    const child = spawn('sleep', ['30']);
    try {
      const first = (await source.snapshot()).find((p) => p.pid === child.pid);
      expect(first).toMatchObject({ ppid: process.pid, executable: '/usr/bin/sleep', argv: ['sleep', '30'] });
      const second = (await source.snapshot()).find((p) => p.pid === child.pid);
      expect(second).toBe(first); // details read once
      expect(before.some((p) => /^kworker|^ksoftirqd/.test(p.argv[0] ?? ''))).toBe(false);
    } finally {
      child.kill();
    }
  });
});
