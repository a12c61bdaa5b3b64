import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Event, ProcessActivity } from '@wardwatch/proto';
import { afterEach, describe, expect, it } from 'vitest';
import { AuditFeed } from '../audit/audit-feed';
import type { EventSink } from '../collector';
import { ExecutableHasher } from './executable-hasher';
import { ProcFsSource } from './proc-fs-source';
import { ProcessCollector } from './process-collector';
import type { ProcessInfo, ProcessSource } from './process-source';

class RecordingSink implements EventSink {
  readonly events: Event[] = [];
  readonly errors: string[] = [];
  emit(event: Event): void {
    this.events.push(event);
  }
  parseError(_collector: string, reason: string): void {
    this.errors.push(reason);
  }
  process(pid: number, action: 'start' | 'stop'): (Event & { p: ProcessActivity }) | undefined {
    const e = this.events.find(
      (ev) => ev.detail?.$case === 'process' && ev.detail.value.pid === pid && ev.detail.value.action === action,
    );
    return e?.detail?.$case === 'process' ? { ...e, p: e.detail.value } : undefined;
  }
}

const until = async (ok: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};
const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

const collectors: ProcessCollector[] = [];
const sut = (source: ProcessSource, extra: Partial<ConstructorParameters<typeof ProcessCollector>[0]> = {}) => {
  const collector = new ProcessCollector({ source, pollMs: 100, ...extra });
  collectors.push(collector);
  return collector;
};
afterEach(async () => {
  await Promise.all(collectors.splice(0).map((c) => c.stop()));
});

describe.runIf(process.platform === 'linux')('ProcessCollector on live /proc', () => {
  it('sees a real sleep start and stop, with hash, parent, user and redacted command line', async () => {
    const sink = new RecordingSink();
    const collector = sut(new ProcFsSource());
    await collector.start(sink);
    const child = spawn('sleep', ['30']);
    const secret = spawn(process.execPath, [
      '-e',
      'setTimeout(() => {}, 30000)',
      '--',
      '--password',
      'hunter2',
      'db=postgres://u:pw@h/x',
    ]);
    await until(
      () => sink.process(child.pid!, 'start') !== undefined && sink.process(secret.pid!, 'start') !== undefined,
    );
    const start = sink.process(child.pid!, 'start')!;
    expect(start.p).toMatchObject({
      ppid: process.pid,
      executable: '/usr/bin/sleep',
      commandLine: 'sleep 30',
      sha256: sha256('/usr/bin/sleep'),
    });
    expect(start.user).toBe(process.getuid?.() === 0 ? 'root' : expect.any(String));
    expect(Math.abs(start.timeMs - Date.now())).toBeLessThan(3000);
    const redacted = sink.process(secret.pid!, 'start')!.p.commandLine;
    expect(redacted).toContain('--password *** db=postgres://u:***@h/x');
    expect(redacted).not.toContain('hunter2');

    child.kill();
    secret.kill();
    await until(() => sink.process(child.pid!, 'stop') !== undefined);
    expect(sink.process(child.pid!, 'stop')!.p).toMatchObject({ executable: '/usr/bin/sleep', sha256: start.p.sha256 });
    expect(sink.events.indexOf(sink.events.find((e) => e.id === start.id)!)).toBeLessThan(
      sink.events.findIndex(
        (e) => e.detail?.$case === 'process' && e.detail.value.pid === child.pid && e.detail.value.action === 'stop',
      ),
    );
    expect(collector.stats.pollErrors).toBe(0);
  });

  it('reports executions that began and ended between polls from the audit log', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ww-audit-'));
    try {
      const audit = join(dir, 'audit.log');
      writeFileSync(audit, 'type=SYSCALL msg=audit(1.000:1): success=yes pid=999990 ppid=1 uid=0 exe="/usr/bin/old"\n');
      const sink = new RecordingSink();
      const collector = sut(new ProcFsSource(), { audit: new AuditFeed({ path: audit }), pollMs: 100 });
      await collector.start(sink);
      expect(collector.auditActive).toBe(true);
      const t = Date.now() / 1000;
      appendFileSync(
        audit,
        [
          `type=SYSCALL msg=audit(${t.toFixed(3)}:501): arch=c000003e syscall=59 success=yes exit=0 ppid=${process.pid} pid=4194000 auid=0 uid=0 comm="true" exe="/usr/bin/true" key="exec"`,
          `type=EXECVE msg=audit(${t.toFixed(3)}:501): argc=3 a0="true" a1="--token" a2="abc"`,
          `type=EOE msg=audit(${t.toFixed(3)}:501): `,
          // This process is alive: the /proc poll reports it, the audit record must not duplicate it.
          `type=SYSCALL msg=audit(${t.toFixed(3)}:502): success=yes ppid=1 pid=${process.pid} uid=0 exe="${process.execPath}"`,
          `type=EXECVE msg=audit(${t.toFixed(3)}:502): argc=1 a0="node"`,
          'type=SYSCALL msg=audit(garbage',
          '',
        ].join('\n'),
      );
      await until(() => sink.process(4194000, 'stop') !== undefined);
      expect(sink.process(4194000, 'start')!.p).toMatchObject({
        executable: '/usr/bin/true',
        commandLine: 'true --token ***',
        ppid: process.pid,
        sha256: sha256('/usr/bin/true'),
      });
      expect(sink.process(4194000, 'start')!.user).toBe('root');
      expect(sink.process(process.pid, 'start')).toBeUndefined();
      expect(sink.process(999990, 'start')).toBeUndefined(); // written before start: not read
      expect(collector.stats.shortLived).toBe(1);
      expect(sink.errors).toEqual(['audit record without msg=audit(time:serial)']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

class ScriptedSource implements ProcessSource {
  readonly name = 'scripted';
  constructor(private readonly snapshots: ProcessInfo[][]) {}
  snapshot(): Promise<ProcessInfo[]> {
    return Promise.resolve(this.snapshots.length > 1 ? this.snapshots.shift()! : this.snapshots[0]);
  }
}

const proc = (pid: number, startTimeMs: number, executable = '/bin/x'): ProcessInfo => ({
  pid,
  ppid: 1,
  startTimeMs,
  user: 'alice',
  executable,
  argv: [executable],
});

describe('ProcessCollector diffing', () => {
  it('treats running processes as the baseline, a reused pid as stop + start, and keeps stop after a slow start', async () => {
    class SlowHasher extends ExecutableHasher {
      override async hash(): Promise<string> {
        await new Promise((r) => setTimeout(r, 250));
        return 'f'.repeat(64);
      }
    }
    const sink = new RecordingSink();
    const source = new ScriptedSource([[proc(10, 1), proc(11, 1)], [proc(10, 1), proc(11, 5)], [proc(10, 1)]]);
    const collector = sut(source, { hasher: new SlowHasher(), pollMs: 20 });
    await collector.start(sink);
    await until(() => sink.events.length === 3);
    const seq = sink.events.map((e) =>
      e.detail?.$case === 'process'
        ? `${e.detail.value.action}:${e.detail.value.pid}@${e.timeMs > 100 ? 'poll' : e.timeMs}`
        : '',
    );
    expect(seq).toEqual(['stop:11@poll', 'start:11@5', 'stop:11@poll']);
    expect(sink.events[1].detail).toMatchObject({ value: { sha256: 'f'.repeat(64) } });
    expect(sink.events[2].detail).toMatchObject({ value: { sha256: 'f'.repeat(64) } });
  });

  it('reports existing processes when asked to', async () => {
    const sink = new RecordingSink();
    const collector = sut(new ScriptedSource([[proc(10, 1)]]), { reportExisting: true });
    await collector.start(sink);
    await until(() => sink.events.length === 1);
    expect(sink.process(10, 'start')).toBeDefined();
  });

  it('counts a failing source and keeps polling', async () => {
    let calls = 0;
    const logs: string[] = [];
    const collector = sut(
      {
        name: 'flaky',
        snapshot: () => {
          calls += 1;
          return calls % 2 ? Promise.reject(new Error('EMFILE')) : Promise.resolve([]);
        },
      },
      { pollMs: 20, log: (_l, m) => logs.push(m) },
    );
    await collector.start(new RecordingSink());
    await until(() => calls >= 4);
    expect(collector.stats.pollErrors).toBeGreaterThanOrEqual(2);
    expect(logs[0]).toContain('poll of flaky failed: EMFILE');
  });
});
