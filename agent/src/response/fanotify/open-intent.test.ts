// The parser on lines as the kernel writes them, and the reader on real processes blocked in
// their open calls (a FIFO's open waits for the other end, as an open waits for the gate).
import { spawn, type ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { intentOfCall, intentOfFlags, openIntent, parseSyscallLine } from './open-intent';

const none = () => undefined;

describe('parseSyscallLine and intentOfCall', () => {
  it('reads openat, open and creat on x86-64 and openat on arm64', () => {
    // openat(AT_FDCWD, path, O_WRONLY|O_CREAT|O_TRUNC, 0644) and openat(…, O_RDONLY|O_CLOEXEC)
    const write = parseSyscallLine('257 0xffffff9c 0x7ffd2a1b 0x241 0x1a4 0x0 0x0 0x7ffd2a00 0x7f3b1c2d\n')!;
    const read = parseSyscallLine('257 0xffffff9c 0x7ffd2a1b 0x80000 0x0 0x0 0x0 0x7ffd2a00 0x7f3b1c2d')!;
    expect(intentOfCall(write, 'x64', none)).toBe('write');
    expect(intentOfCall(read, 'x64', none)).toBe('read');
    expect(intentOfCall(parseSyscallLine('2 0x5581 0x2 0x0 0x0 0x0 0x0 0x7ffd 0x7f3b')!, 'x64', none)).toBe('write');
    expect(intentOfCall(parseSyscallLine('85 0x5581 0x1a4 0x0 0x0 0x0 0x0 0x7ffd 0x7f3b')!, 'x64', none)).toBe('write');
    expect(intentOfCall(parseSyscallLine('56 0xffffff9c 0x5581 0x0 0x0 0x0 0x0 0xffff 0xffff')!, 'arm64', none)).toBe(
      'read',
    );
    // read(2) is no open; 257 on arm64 is not openat.
    expect(
      intentOfCall(parseSyscallLine('0 0x3 0x7f6c 0x20000 0x0 0x0 0x0 0x7ffe 0x7f6c')!, 'x64', none),
    ).toBeUndefined();
    expect(intentOfCall(write, 'arm64', none)).toBeUndefined();
  });

  it("reads openat2's flags through its struct, and says unknown when they cannot be read", () => {
    const call = parseSyscallLine('437 0xffffff9c 0x5581 0x7ffd1000 0x18 0x0 0x0 0x7ffd 0x7f3b')!;
    expect(intentOfCall(call, 'x64', (at) => (at === 0x7ffd1000n ? 0o1n : undefined))).toBe('write');
    expect(intentOfCall(call, 'x64', () => 0n)).toBe('read');
    expect(intentOfCall(call, 'x64', none)).toBe('unknown');
  });

  it('counts O_CREAT and O_TRUNC as writes even with O_RDONLY', () => {
    expect(intentOfFlags(0o100n)).toBe('write');
    expect(intentOfFlags(0o1000n)).toBe('write');
    expect(intentOfFlags(0o2000000n)).toBe('read'); // O_CLOEXEC
  });

  it('refuses what is not a line in a call', () => {
    for (const line of ['running', '-1 0x7ffd 0x7f3b', '', '257 0xffffff9c', '257 0xzz 0x1 0x2 0x3 0x4 0x5 0x6 0x7'])
      expect(parseSyscallLine(line)).toBeUndefined();
  });
});

describe.runIf(process.platform === 'linux' && ['x64', 'arm64'].includes(process.arch))(
  'openIntent (real processes)',
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'ww-intent-'));
    const children: ChildProcess[] = [];
    afterAll(() => {
      for (const child of children) child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    });

    async function blockedIn(script: string): Promise<number> {
      const fifo = join(dir, `fifo-${children.length}`);
      execFileSync('mkfifo', [fifo]);
      const child = spawn('/bin/sh', ['-c', script, 'sh', fifo], { stdio: 'ignore' });
      children.push(child);
      // Until the shell sits in its open call (it waits there for the other end).
      for (let i = 0; i < 100 && openIntent(child.pid!) === 'unknown'; i++) await new Promise((r) => setTimeout(r, 20));
      return child.pid!;
    }

    it('names a write open and a read open while they wait', async () => {
      expect(openIntent(await blockedIn('exec 3>"$1"'))).toBe('write');
      expect(openIntent(await blockedIn('exec 3<"$1"'))).toBe('read');
    });

    it('says unknown for a process in no open call, or gone', async () => {
      const sleeper = spawn('sleep', ['30'], { stdio: 'ignore' });
      children.push(sleeper);
      await new Promise((r) => setTimeout(r, 100));
      expect(openIntent(sleeper.pid!)).toBe('unknown');
      expect(openIntent(2 ** 22 + 1)).toBe('unknown');
    });
  },
);
