// Audit records of file operations as this machine's auditd wrote them
// (fixtures/file-ops.log: a watch rule on /tmp/ww-audit-probe, then bash
// redirections, mv, python, rm, mkdir, an unlinkat relative to a directory fd,
// a failed unlink and a name with spaces and UTF-8), read through the real tail.
import {
  appendFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AuditFeed } from './audit-feed';
import { FileActorIndex } from './file-actor-index';

const fixture = (name: string) => readFileSync(join(__dirname, 'fixtures', name));
const PROBE = '/tmp/ww-audit-probe';
const PYTHON = '/root/.pyenv/versions/3.11.7/bin/python3.11';
const AT_FIXTURE_TIME = () => 1796134100_000;

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

/** A feed on a fresh log file and an index on it; `append` writes bytes as auditd would. */
function sut(options: ConstructorParameters<typeof FileActorIndex>[1] = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'ww-audit-index-'));
  const log = join(dir, 'audit.log');
  writeFileSync(log, 'type=DAEMON_START msg=audit(1796134027.761:1770): op=start ver=3.0.9\n');
  const feed = new AuditFeed({ path: log, readIntervalMs: 60_000 });
  const errors: string[] = [];
  feed.subscribe({ record: () => undefined, parseError: (r) => errors.push(r) });
  const index = new FileActorIndex(feed, { now: AT_FIXTURE_TIME, ...options });
  index.start();
  cleanups.push(() => {
    index.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  return { feed, index, errors, append: (bytes: Buffer | string) => appendFileSync(log, bytes) };
}

describe('FileActorIndex on recorded audit records', () => {
  it('names the process of each create, write, rename, delete and mkdir, by canonical path', () => {
    const { index, feed, errors } = sut();
    appendFileSync(feed.path, fixture('file-ops.log'));
    const exe = (name: string) => index.actorOf(join(PROBE, name))?.exe;
    expect(index.actorOf(join(PROBE, 'a.txt'))).toEqual({ exe: '/usr/bin/mv', pid: 28499, timeMs: 1796134030289 }); // created by bash, renamed away by mv
    expect(exe('b c.txt')).toBe('/usr/bin/rm'); // hex-encoded name; renamed to by mv, then removed by rm
    expect(exe('p.bin')).toBe(PYTHON); // absolute name
    expect(exe('sub')).toBe('/usr/bin/mkdir');
    expect(exe('naïve é.txt')).toBe('/usr/bin/bash'); // hex-encoded UTF-8
    // sub/f: created by bash from the probe folder, then unlinkat(dirfd=3, "sub/f") by python from
    // /tmp: relative to the directory fd, not to CWD — never filed as /tmp/sub/f, but it answers for
    // a path ending in /sub/f, being newer than bash's record.
    expect(exe('sub/f')).toBe(PYTHON);
    expect([...index.paths()]).not.toContain('/tmp/sub/f');
    expect(index.actorOf(join(PROBE, 'nothere'))).toBeUndefined(); // the failed unlink
    expect(index.actorOf(PROBE)).toBeUndefined(); // PARENT items are not the changed file
    expect(index.stats).toMatchObject({ relative: 1, unresolved: 0 });
    expect(errors).toEqual([]);
  });

  it('gives the same answers when records arrive split at any byte, across many reads', () => {
    const bytes = fixture('file-ops.log');
    for (const step of [1, 7, 61, 333, 4096]) {
      const { index, append } = sut({ readGapMs: 0 }); // every lookup reads (the default skips reads within 1 ms of the last)
      for (let at = 0; at < bytes.length; at += step) {
        append(bytes.subarray(at, at + step));
        index.actorOf('/nowhere'); // a lookup reads the tail, mid-record or not
      }
      expect({
        step,
        got: [
          index.actorOf(join(PROBE, 'sub/f'))?.exe,
          index.actorOf(join(PROBE, 'naïve é.txt'))?.exe,
          index.actorOf(join(PROBE, 'b c.txt'))?.exe,
        ],
      }).toEqual({ step, got: [PYTHON, '/usr/bin/bash', '/usr/bin/rm'] });
      expect(index.stats.indexed).toBe(9);
    }
  });

  it('counts malformed lines as parse errors and keeps indexing', () => {
    const { index, feed, errors, append } = sut();
    append(fixture('../../processes/fixtures/audit-malformed.log'));
    append('type=PATH msg=audit(oops): name="/x"\n\n');
    append(fixture('file-ops.log'));
    expect(index.actorOf(join(PROBE, 'p.bin'))?.exe).toBe(PYTHON);
    expect(errors).toEqual([
      'audit record without msg=audit(time:serial)',
      'not an audit record',
      'audit record without msg=audit(time:serial)',
    ]);
    expect(feed.stats.parseErrors).toBe(3);
  });

  it('names the actor of a delete relative to a directory fd only shortly after it, and never the older creator', () => {
    let now = 1796134098_600;
    const { index, append } = sut({ relativeWindowMs: 2_000, now: () => now });
    append(fixture('file-ops.log'));
    expect(index.actorOf(join(PROBE, 'sub/f'))?.exe).toBe(PYTHON);
    expect(index.actorOf('/elsewhere/f')).toBeUndefined(); // same name, but not ending in sub/f
    now += 2_000;
    expect(index.actorOf(join(PROBE, 'sub/f'))).toBeUndefined(); // not bash, whose record is older
  });

  it('follows rotation, and survives a rotated-in file it cannot read until a readable one takes its place', () => {
    const logs: string[] = [];
    const dir = mkdtempSync(join(tmpdir(), 'ww-audit-rotate-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const log = join(dir, 'audit.log');
    const lines = fixture('file-ops.log').toString().split('\n');
    writeFileSync(log, '');
    const feed = new AuditFeed({ path: log, readIntervalMs: 60_000, log: (level, m) => logs.push(`${level}: ${m}`) });
    const index = new FileActorIndex(feed, { now: AT_FIXTURE_TIME, readGapMs: 0 });
    index.start();
    cleanups.push(() => index.stop());
    appendFileSync(log, `${lines.slice(0, 21).join('\n')}\n`); // up to p.bin
    renameSync(log, `${log}.1`); // logrotate: the old file keeps what was not read yet
    mkdirSync(log); // a path that opens but cannot be read
    expect(index.actorOf(join(PROBE, 'p.bin'))?.exe).toBe(PYTHON);
    expect(feed.stats.readErrors).toBe(1);
    rmdirSync(log);
    writeFileSync(log, `${lines.slice(21).join('\n')}`);
    expect(index.actorOf(join(PROBE, 'naïve é.txt'))?.exe).toBe('/usr/bin/bash');
    index.actorOf('/nowhere');
    expect(logs).toEqual([
      expect.stringMatching(/^warn: audit log read failed, retrying: EISDIR/),
      'info: audit log readable again',
    ]);
  });

  it('leaves opens to read out: a reader did not change the file (a read rule logs them)', () => {
    const { index, append } = sut();
    append(fixture('file-ops.log'));
    // cat's openat(AT_FDCWD, p.bin, O_RDONLY) as this machine's auditd wrote one under a `perm=r` rule, later.
    append(
      [
        'type=SYSCALL msg=audit(1796134099.605:90): arch=c000003e syscall=257 success=yes exit=3 a0=ffffff9c a1=7ffe5957eae1 a2=0 a3=0 items=1 ppid=8709 pid=8728 auid=4294967295 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=(none) ses=4294967295 comm="cat" exe="/usr/bin/cat" key="ww-read"',
        `type=PATH msg=audit(1796134099.605:90): item=0 name="${PROBE}/p.bin" inode=2146454 dev=fe:00 mode=0100644 ouid=0 ogid=0 rdev=00:00 nametype=NORMAL cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0`,
        '',
      ].join('\n'),
    );
    expect(index.actorOf(join(PROBE, 'p.bin'))?.exe).toBe(PYTHON);
  });

  it('leaves openat2 reads out and names openat2 writers, by the OPENAT2 record the kernel writes', () => {
    const { index, append } = sut();
    append(fixture('file-ops.log'));
    // openat2(AT_FDCWD, name, &how) as this machine's kernel (6.18) logs it under a `perm=r` rule: its
    // flags in an OPENAT2 record (octal) between the SYSCALL and the CWD and PATH records.
    const openat2 = (serial: number, name: string, oflag: string, exe: string) =>
      [
        `type=SYSCALL msg=audit(1796134099.605:${serial}): arch=c000003e syscall=437 success=yes exit=3 a0=ffffffffffffff9c a1=7f8b7a1c97d0 a2=7f8b7a141970 a3=18 items=1 ppid=9870 pid=9878 auid=1000 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=(none) ses=4 comm="x" exe="${exe}" key="ww-read"`,
        `type=OPENAT2 msg=audit(1796134099.605:${serial}): oflag=${oflag} mode=00 resolve=0x0`,
        `type=CWD msg=audit(1796134099.605:${serial}): cwd="/tmp"`,
        `type=PATH msg=audit(1796134099.605:${serial}): item=0 name="${PROBE}/${name}" inode=2146454 dev=fe:00 mode=0100644 ouid=0 ogid=0 rdev=00:00 nametype=NORMAL cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0`,
        '',
      ].join('\n');
    append(openat2(91, 'p.bin', '00', '/usr/bin/reader') + openat2(92, 'sub', '0101', '/usr/bin/writer'));
    expect(index.actorOf(join(PROBE, 'p.bin'))?.exe).toBe(PYTHON); // read only: not an actor
    expect(index.actorOf(join(PROBE, 'sub'))?.exe).toBe('/usr/bin/writer'); // O_WRONLY|O_CREAT
  });

  it('leaves executions out: their PATH records name the program, not a changed file', () => {
    const { index, append } = sut();
    append(fixture('../../processes/fixtures/audit.log'));
    expect(index.actorOf('/usr/bin/curl')).toBeUndefined();
    expect(index.stats.indexed).toBe(0);
  });

  it('forgets entries older than the time limit, and the least recently written beyond the bound', () => {
    let now = 1796134098_600;
    const { index, append } = sut({ ttlMs: 1_000, maxEntries: 4, now: () => now });
    append(fixture('file-ops.log'));
    expect(index.actorOf(join(PROBE, 'naïve é.txt'))?.exe).toBe('/usr/bin/bash');
    expect([...index.paths()]).toEqual(
      [
        join(PROBE, 'p.bin'),
        join(PROBE, 'b c.txt'),
        join(PROBE, 'sub'),
        join(PROBE, 'sub/f'),
        join(PROBE, 'naïve é.txt'),
      ].slice(-index.size),
    );
    expect(index.size).toBeLessThanOrEqual(4);
    expect(index.actorOf(join(PROBE, 'a.txt'))).toBeUndefined(); // pushed out by newer paths
    now += 1_000;
    expect(index.actorOf(join(PROBE, 'naïve é.txt'))).toBeUndefined();
  });
});
