import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { ParseResult } from '../parsers/parse-result';
import { fixtureLines } from '../parsers/fixtures/expect.fixture';
import { parseLinuxAuthLine } from '../parsers/linux-auth-line';
import { CommandLineReader } from '../../command-line-reader';
import fc from 'fast-check';
import { journalCursor, JournalReader, MacosLogReader, WindowsSecurityLogReader } from './os-readers';
import { NodeProcessSpawner, type ProcessSpawner, type SpawnedChild } from '../../process-spawner';

class FakeChild extends EventEmitter {
  readonly stdout = new PassThrough();
  readonly stderr = new PassThrough();
  killed = false;
  kill(): boolean {
    this.killed = true;
    this.emit('exit', null, 'SIGTERM');
    return true;
  }
}

class FakeSpawner implements ProcessSpawner {
  readonly spawned: Array<{ command: string; args: readonly string[]; child: FakeChild }> = [];
  constructor(
    readonly platform: NodeJS.Platform,
    private readonly commands: string[] = [],
  ) {}
  commandExists(command: string): boolean {
    return this.commands.includes(command);
  }
  spawn(command: string, args: readonly string[]): SpawnedChild {
    const child = new FakeChild();
    this.spawned.push({ command, args, child });
    return child;
  }
}

const until = async (ok: () => boolean, ms = 3000) => {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('OS login readers', () => {
  it('start only on their own OS', () => {
    const linux = new FakeSpawner('linux', ['journalctl']);
    const results: ParseResult[] = [];
    expect(new WindowsSecurityLogReader(linux, { result: (r) => results.push(r) }).start()).toBe(false);
    expect(new MacosLogReader(linux, { result: (r) => results.push(r) }).start()).toBe(false);
    expect(new JournalReader(new FakeSpawner('linux'), { result: (r) => results.push(r) }).start()).toBe(false);
    expect(linux.spawned).toHaveLength(0);

    const journal = new JournalReader(linux, { result: (r) => results.push(r) });
    expect(journal.start()).toBe(true);
    expect(linux.spawned[0].command).toBe('journalctl');
    expect(linux.spawned[0].args).toEqual(expect.arrayContaining(['-f', '-o', 'json', '-n', '0']));
    journal.stop();
    expect(linux.spawned[0].child.killed).toBe(true);

    const win = new FakeSpawner('win32');
    expect(new WindowsSecurityLogReader(win, { result: () => {} }).start()).toBe(true);
    expect(win.spawned[0].command).toBe('powershell.exe');
    const mac = new FakeSpawner('darwin');
    expect(new MacosLogReader(mac, { result: () => {} }).start()).toBe(true);
    expect(mac.spawned[0].args.slice(0, 3)).toEqual(['stream', '--style', 'ndjson']);
  });

  it('turn garbage output into counted errors and keep going', () => {
    const spawner = new FakeSpawner('darwin');
    const results: ParseResult[] = [];
    const reader = new MacosLogReader(spawner, { result: (r) => results.push(r) });
    reader.start();
    const { child } = spawner.spawned[0];
    child.stdout.write('Filtering the log data using "…"\n{"broken\n\u0000\u0001\n');
    child.stdout.write(`${fixtureLines('macos-log.ndjson')[2]}\n`);
    expect(results.map((r) => r.kind)).toEqual(['ignored', 'error', 'error', 'login']);
    reader.stop();
  });

  it('read a real command line by line and restart it when it exits', async () => {
    const lines = fixtureLines('linux-auth.log').slice(0, 3);
    const results: ParseResult[] = [];
    const logs: string[] = [];
    const reader = new CommandLineReader(
      {
        name: 'test',
        command: 'sh',
        args: ['-c', `printf '%s\\n' "$@"`, 'sh', ...lines],
        parse: (l) => parseLinuxAuthLine(l, { year: 2026 }),
      },
      new NodeProcessSpawner(),
      { result: (r) => results.push(r), log: (_level, m) => logs.push(m) },
    );
    reader.start();
    await until(() => results.length >= 6, 8000); // the command ran twice
    reader.stop();
    expect(results.slice(0, 3).map((r) => r.kind)).toEqual(['login', 'login', 'login']);
    expect(logs.some((m) => m.includes('restarting'))).toBe(true);
  });

  it('starts the real journalctl on this Linux machine and stops it', async () => {
    const spawner = new NodeProcessSpawner();
    if (!spawner.commandExists('journalctl')) return;
    const logs: string[] = [];
    const reader = new JournalReader(spawner, { result: () => {}, log: (_l, m) => logs.push(m) });
    expect(reader.start()).toBe(true);
    await new Promise((r) => setTimeout(r, 300));
    reader.stop();
    expect(logs[0]).toContain('journalctl -f -o json -n 0');
    expect(logs.some((m) => m.includes('exited'))).toBe(false);
  });

  it('resume journalctl after the last cursor when it restarts, instead of from now', async () => {
    const spawner = new FakeSpawner('linux', ['journalctl']);
    const reader = new JournalReader(spawner, { result: () => {} }, 'ward3');
    reader.start();
    const first = spawner.spawned[0];
    expect(first.args).toEqual([
      '--namespace=ward3',
      '-f',
      '-o',
      'json',
      '-n',
      '0',
      expect.stringMatching(/^--output-fields=/),
    ]);
    first.child.stdout.write(
      '{"__CURSOR":"s=ab12;i=3f;b=cd;m=1;t=2;x=9","__REALTIME_TIMESTAMP":"1","SYSLOG_FACILITY":"3","MESSAGE":"x"}\n',
    );
    first.child.emit('exit', 1, null);
    await until(() => spawner.spawned.length === 2, 5000);
    expect(spawner.spawned[1].args).toEqual([
      '--namespace=ward3',
      '-f',
      '-o',
      'json',
      '--after-cursor=s=ab12;i=3f;b=cd;m=1;t=2;x=9',
      expect.stringMatching(/^--output-fields=/),
    ]);
    reader.stop();
  });

  it('journalCursor takes only a well-formed cursor and never throws', () => {
    expect(journalCursor('{"__CURSOR":"s=1;i=2","MESSAGE":"m"}')).toBe('s=1;i=2');
    expect(journalCursor('{"__CURSOR":"s=1 --rm"}')).toBeUndefined();
    expect(journalCursor('{"__CURSOR":"unterminated')).toBeUndefined();
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        const cursor = journalCursor(`{"__CURSOR":"${text}`);
        if (cursor !== undefined) expect(cursor).toMatch(/^[A-Za-z0-9=;]+$/);
      }),
      { numRuns: 500 },
    );
  });
});
