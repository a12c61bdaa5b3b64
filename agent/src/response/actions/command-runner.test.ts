import { describe, expect, it } from 'vitest';
import { describeFailure, ExecCommandRunner } from './command-runner';

describe.runIf(process.platform !== 'win32')('ExecCommandRunner', () => {
  const runner = new ExecCommandRunner(undefined, 1024);

  it('passes each argv item as one argument, with no shell to read $(), ; or quotes', async () => {
    const args = ['$(id)', 'a b', '"q"', '; echo pwned', '-n'];
    const result = await runner.run('printf', ['%s\\n', ...args]);
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n').slice(0, -1)).toEqual(args);
  });

  it('reports the exit code and stderr', async () => {
    const result = await runner.run('ls', ['/definitely/not/here']);
    expect(result.code).not.toBe(0);
    expect(describeFailure(result)).toMatch(/^exit \d+: .*No such file/);
  });

  it('bounds the output it keeps', async () => {
    const result = await runner.run('head', ['-c', '100000', '/dev/zero']);
    expect(result.code).toBe(0);
    expect(Buffer.byteLength(result.stdout)).toBeLessThanOrEqual(1024 + 3);
    expect(result.stdout.endsWith('…')).toBe(true);
  });

  it('kills a command that outlives its timeout', async () => {
    const started = Date.now();
    const result = await runner.run('sleep', ['30'], { timeoutMs: 200 });
    expect(result).toMatchObject({ code: null, timedOut: true });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(describeFailure(result)).toBe('timed out');
  });

  it('says when a command is not installed', async () => {
    const result = await runner.run('ww-no-such-command', []);
    expect(result.startError).toBe('ENOENT');
    expect(describeFailure(result)).toBe('not installed');
  });
});
