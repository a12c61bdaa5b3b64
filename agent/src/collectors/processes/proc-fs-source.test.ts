import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

describe('ProcFsSource skips the scan when /proc/loadavg has not moved', () => {
  it('rescans only after a new task (last pid) or an ended one (task count), and always without loadavg', async () => {
    const root = mkdtempSync(join(tmpdir(), 'ww-proc-'));
    try {
      const proc = (pid: number) => {
        mkdirSync(join(root, String(pid)));
        // pid (comm) state ppid pgrp session tty tpgid flags … starttime is the 20th field after the comm.
        writeFileSync(
          join(root, String(pid), 'stat'),
          `${pid} (worker) S 1 ${pid} ${pid} 0 -1 4194304 ${'0 '.repeat(12)}${pid * 10} 0 0\n`,
        );
        writeFileSync(join(root, String(pid), 'cmdline'), `/usr/bin/worker\0--id\0${pid}\0`);
      };
      writeFileSync(join(root, 'stat'), 'cpu 1 2 3\nbtime 1700000000\n');
      writeFileSync(join(root, 'loadavg'), '0.10 0.20 0.30 1/120 500\n');
      proc(100);
      const source = new ProcFsSource({ root, users: { name: () => 'alice' } });
      const pids = async () => (await source.snapshot()).map((p) => p.pid);
      expect(await pids()).toEqual([100]);
      proc(101);
      expect(await pids()).toEqual([100]); // loadavg unchanged: the last snapshot holds
      writeFileSync(join(root, 'loadavg'), '0.10 0.20 0.30 2/121 501\n');
      expect(await pids()).toEqual([100, 101]);
      rmSync(join(root, '100'), { recursive: true });
      writeFileSync(join(root, 'loadavg'), '0.10 0.20 0.30 1/120 501\n');
      expect(await pids()).toEqual([101]);
      expect(source.scans).toEqual({ full: 3, skipped: 1 });
      unlinkSync(join(root, 'loadavg'));
      await pids();
      await pids();
      expect(source.scans).toEqual({ full: 5, skipped: 1 });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
