// The file collector naming the process behind a change, live:
// 1. through this machine's kernel audit and auditd (a watch rule on a temporary
//    folder, files changed by child processes), where auditd runs and we are root;
// 2. always on Linux: through an audit log this test writes in auditd's format —
//    the real tail, parser and index, with the record landing after the change.
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FileActivity } from '@wardwatch/proto';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../logging/logger';
import { RecordingSink } from '../collector-test-sink.fixture';
import { FileCollector } from '../files/file-collector';
import { AuditFeed, DEFAULT_AUDIT_LOG } from './audit-feed';
import { AUDITCTL, auditdRunning } from './auditd.fixture';
import { FileActorIndex } from './file-actor-index';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function tempRoot(prefix: string): string {
  const root = mkdtempSync(join(tmpdir(), prefix));
  cleanups.push(() => rmSync(root, { recursive: true, force: true }));
  return root;
}

async function collect(root: string, auditLog: string) {
  const index = new FileActorIndex(new AuditFeed({ path: auditLog }));
  const collector = new FileCollector({
    folders: [{ path: root, class: 'phi' }],
    logger: createMemoryLogger(),
    renameWindowMs: 150,
    presenceCheckMs: 100,
    actors: index,
  });
  const sink = new RecordingSink();
  await collector.start(sink);
  cleanups.push(() => collector.stop());
  const file = (action: string, path: string) =>
    sink.waitFor(
      (s) =>
        s.events
          .map((e) => (e.detail?.$case === 'file' ? e.detail.value : undefined))
          .find((f): f is FileActivity => f?.action === action && f.path === path),
      `a ${action} of ${path}`,
    );
  return { index, file };
}

function run(exe: string, ...args: string[]): number {
  const r = spawnSync(exe, args, { stdio: 'ignore' });
  if (r.status !== 0) throw new Error(`${exe} exited with ${r.status}`);
  return r.pid;
}

// systemd-journald switches kernel audit off when it starts with Audit=no (Debian 12's default);
// the logins tests start a journald namespace, so this test turns audit on again (as
// auditd's own `-e 1` rule would) and is retried if it was switched off mid-test.
describe.runIf(auditdRunning())(
  'file actors from the kernel audit (live, auditd)',
  { timeout: 20_000, retry: 2 },
  () => {
    it('names the executable of the child process that created, wrote, renamed and deleted each file, also under rm -r', async () => {
      execFileSync(AUDITCTL, ['-e', '1'], { stdio: 'ignore' });
      const root = tempRoot('ww-audit-live-');
      const key = `wardwatch-test-${process.pid}`;
      execFileSync(AUDITCTL, ['-w', root, '-p', 'wa', '-k', key]);
      cleanups.push(() => void execFileSync(AUDITCTL, ['-W', root, '-p', 'wa', '-k', key]));
      const { index, file } = await collect(root, DEFAULT_AUDIT_LOG);
      const bin = (name: string) => realpathSync(`/usr/bin/${name}`);
      const a = join(root, 'a.txt');
      const b = join(root, 'b.txt');

      run('/usr/bin/touch', a);
      expect((await file('create', a)).process).toBe(bin('touch'));
      run('/usr/bin/dd', 'if=/dev/urandom', `of=${a}`, 'bs=1024', 'count=4', 'conv=notrunc', 'status=none');
      expect((await file('write', a)).process).toBe(bin('dd'));
      run('/usr/bin/mv', a, b);
      expect((await file('rename', b)).process).toBe(bin('mv'));
      run('/usr/bin/rm', b);
      expect((await file('delete', b)).process).toBe(bin('rm'));
      // rm -r deletes through unlinkat(directory fd, name): matched by name, as it is newer than touch's record.
      const sub = join(root, 'sub');
      run('/usr/bin/mkdir', sub);
      run('/usr/bin/touch', join(sub, 'x.txt'));
      await file('create', join(sub, 'x.txt'));
      run('/usr/bin/rm', '-r', sub);
      expect((await file('delete', join(sub, 'x.txt'))).process).toBe(bin('rm'));
      const c = join(root, 'c.bin');
      run(process.execPath, '-e', `require('node:fs').writeFileSync(${JSON.stringify(c)}, 'x')`);
      expect((await file('create', c)).process).toBe(realpathSync(process.execPath));
      expect(index.stats.relative).toBeGreaterThanOrEqual(1);
    });
  },
);

describe.runIf(process.platform === 'linux')(
  'file actors from an audit log in auditd format (live files, test-written log)',
  { timeout: 15_000 },
  () => {
    it('names the process when its record lands after the change, and nobody when there is none', async () => {
      const root = tempRoot('ww-audit-file-');
      const log = join(tempRoot('ww-audit-log-'), 'audit.log');
      writeFileSync(log, '');
      const { file } = await collect(root, log);

      const path = join(root, 'ward 3 notes.txt');
      const pid = run('/usr/bin/cp', '/etc/hostname', path);
      // What auditd writes for cp's openat(AT_FDCWD, path, O_CREAT…) from /tmp, the name hex-encoded (it has spaces).
      const t = (Date.now() / 1000).toFixed(3);
      const hex = Buffer.from(path).toString('hex').toUpperCase();
      appendFileSync(
        log,
        [
          `type=SYSCALL msg=audit(${t}:900): arch=c000003e syscall=257 success=yes exit=4 a0=ffffff9c a1=7ffc a2=c1 a3=1a4 items=2 ppid=${process.pid} pid=${pid} auid=0 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=(none) ses=1 comm="cp" exe="/usr/bin/cp" key="wardwatch-phi"\x1dARCH=x86_64 SYSCALL=openat`,
          `type=CWD msg=audit(${t}:900): cwd="/tmp"`,
          `type=PATH msg=audit(${t}:900): item=0 name="${root}/" inode=1 dev=fe:00 mode=040755 ouid=0 ogid=0 rdev=00:00 nametype=PARENT cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0`,
          `type=PATH msg=audit(${t}:900): item=1 name=${hex} inode=2 dev=fe:00 mode=0100644 ouid=0 ogid=0 rdev=00:00 nametype=CREATE cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0`,
          `type=PROCTITLE msg=audit(${t}:900): proctitle=6370`,
          '',
        ].join('\n'),
      );
      expect(await file('create', path)).toMatchObject({ process: '/usr/bin/cp', pid });

      const unrecorded = join(root, 'other.txt');
      writeFileSync(unrecorded, 'x');
      expect(await file('create', unrecorded)).toMatchObject({ process: '', pid: 0 });
    });
  },
);
