// Reads of patient files from an audit log in auditd's format, through the real
// tail and parser. The records are shaped on what this machine's auditd wrote for
// `cat`, python's open() and `ls` under a `perm=r` rule (x86_64).
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Event, FileActivity } from '@wardwatch/proto';
import { afterEach, describe, expect, it } from 'vitest';
import { PathClassifier } from '../../paths/path-classifier';
import { AuditFeed } from '../audit/audit-feed';
import { RecordingSink } from '../collector-test-sink.fixture';
import { ReadCollector, type ReadCollectorOptions } from './read-collector';
import { ReadRuleCheck } from './read-rules';

const dirs: string[] = [];
const collectors: ReadCollector[] = [];
afterEach(async () => {
  for (const c of collectors.splice(0)) await c.stop();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const T0 = 1_796_537_858;
const NAMES: Record<number, string> = { 0: 'root', 1000: 'nurse.ana', 1001: 'dr.ben' };

interface Open {
  serial: number;
  /** Seconds after T0. */
  at?: number;
  name: string;
  /** openat's flags (hex); 0 is O_RDONLY. */
  flags?: string;
  syscall?: number;
  dirfd?: string;
  auid?: number;
  exe?: string;
  pid?: number;
  mode?: string;
  cwd?: string;
  success?: 'yes' | 'no';
  /** For openat2 (syscall 437): its OPENAT2 record's flags (octal); none writes no such record. */
  oflag?: string;
}

/** The SYSCALL, CWD, PATH and PROCTITLE lines auditd writes for one open. */
function open(o: Open): string {
  const msg = `msg=audit(${(T0 + (o.at ?? 0)).toFixed(3)}:${o.serial})`;
  const syscall = o.syscall ?? 257;
  const args =
    syscall === 2
      ? `a0=7ffe5957eae1 a1=${o.flags ?? '0'} a2=0`
      : syscall === 437
        ? `a0=${o.dirfd ?? 'ffffffffffffff9c'} a1=7f8b7a1c97d0 a2=7f8b7a141970`
        : `a0=${o.dirfd ?? 'ffffff9c'} a1=7ffe5957eae1 a2=${o.flags ?? '0'}`;
  return [
    `type=SYSCALL ${msg}: arch=c000003e syscall=${syscall} success=${o.success ?? 'yes'} exit=3 ${args} a3=0 items=1 ppid=8709 pid=${o.pid ?? 8728} auid=${o.auid ?? 1000} uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=(none) ses=4 comm="cat" exe="${o.exe ?? '/usr/bin/cat'}" key="wardwatch-phi-read"\x1dARCH=x86_64 SYSCALL=openat AUID="ana"`,
    ...(o.oflag === undefined ? [] : [`type=OPENAT2 ${msg}: oflag=${o.oflag} mode=00 resolve=0x0`]),
    `type=CWD ${msg}: cwd="${o.cwd ?? '/home/ana'}"`,
    `type=PATH ${msg}: item=0 name="${o.name}" inode=2146454 dev=fe:00 mode=${o.mode ?? '0100644'} ouid=1001 ogid=0 rdev=00:00 nametype=NORMAL cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0`,
    `type=PROCTITLE ${msg}: proctitle=636174`,
    '',
  ].join('\n');
}

async function collector(options: Partial<ReadCollectorOptions> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'ww-reads-'));
  dirs.push(dir);
  const log = join(dir, 'audit.log');
  writeFileSync(log, '');
  const feed = new AuditFeed({ path: log, readIntervalMs: 60_000 });
  const warnings: string[] = [];
  const reads = new ReadCollector({
    feed,
    classify: new PathClassifier([
      { path: '/srv/phi', class: 'phi' },
      { path: '/srv/forms', class: 'other' },
    ]),
    userNames: { name: (uid) => NAMES[uid] ?? `uid:${uid}` },
    windowMs: 10 * 60_000,
    maxPerMinute: 600,
    ignoreExecutables: ['/usr/libexec/tracker-extract-3'],
    ownPid: 4242,
    log: (_level, message) => warnings.push(message),
    ...options,
  });
  const sink = new RecordingSink();
  await reads.start(sink);
  collectors.push(reads);
  const write = (...opens: Open[]): FileActivity[] => {
    const before = sink.events.length;
    appendFileSync(log, opens.map(open).join(''));
    feed.read();
    return sink.events.slice(before).map(file);
  };
  return { reads, sink, write, warnings };
}

const file = (e: Event): FileActivity => {
  if (e.detail?.$case !== 'file') throw new Error(`not a file event: ${e.detail?.$case}`);
  return e.detail.value;
};

describe('ReadCollector', () => {
  it('reports a patient file opened read-only, by the person logged in, with the program and the file owner', async () => {
    const { sink, write } = await collector();
    const [read] = write({ serial: 4, name: '/srv/phi/icu/bed 7/chart.pdf' });
    expect(read).toEqual({
      action: 'read',
      path: '/srv/phi/icu/bed 7/chart.pdf',
      previousPath: '',
      folderClass: 'phi',
      extension: '.pdf',
      depth: 3,
      sizeBytes: -1,
      entropy: -1,
      owner: 'dr.ben',
      process: '/usr/bin/cat',
      pid: 8728,
    });
    expect(sink.events[0]).toMatchObject({ user: 'nurse.ana', timeMs: T0 * 1000 });
  });

  it('resolves a name relative to the working folder, and open(2) as openat(2); not one relative to another folder', async () => {
    const { write } = await collector();
    expect(write({ serial: 5, name: 'c2.pdf', cwd: '/srv/phi/icu' }).map((f) => f.path)).toEqual([
      '/srv/phi/icu/c2.pdf',
    ]);
    expect(write({ serial: 6, syscall: 2, name: '/srv/phi/icu/c3.pdf' }).map((f) => f.path)).toEqual([
      '/srv/phi/icu/c3.pdf',
    ]);
    expect(write({ serial: 7, name: 'c4.pdf', dirfd: '5', cwd: '/srv/phi/icu' })).toEqual([]);
  });

  it('leaves out opens that read no patient file: for writing, O_PATH, a directory listed, a failure, other folders', async () => {
    const { reads, write } = await collector();
    const chart = '/srv/phi/icu/c1.pdf';
    expect(
      write(
        { serial: 10, name: chart, flags: '241' }, // O_WRONLY|O_CREAT|O_TRUNC: the file collector's
        { serial: 11, name: chart, flags: '2' }, // O_RDWR
        { serial: 12, name: chart, flags: '200000' }, // O_PATH
        { serial: 13, name: '/srv/phi/icu', flags: '90800', mode: '040755' }, // ls
        { serial: 14, name: chart, success: 'no' },
        { serial: 15, name: '/srv/forms/leave.pdf' },
        { serial: 16, name: '/etc/hostname' },
      ),
    ).toEqual([]);
    expect(reads.stats.seen).toBe(0);
    // O_RDONLY|O_CLOEXEC, as python's open() and most libraries ask.
    expect(write({ serial: 17, name: chart, flags: '80000' })).toHaveLength(1);
  });

  it('reports openat2 reads by the flags of its OPENAT2 record, and no openat2 whose flags it did not see', async () => {
    const { reads, write } = await collector();
    const chart = (n: number) => `/srv/phi/icu/c${n}.pdf`;
    expect(
      write(
        { serial: 30, syscall: 437, name: chart(1), oflag: '01' }, // O_WRONLY
        { serial: 31, syscall: 437, name: chart(2), oflag: '02' }, // O_RDWR
        { serial: 32, syscall: 437, name: chart(3), oflag: '010000000' }, // O_PATH
        { serial: 33, syscall: 437, name: chart(4) }, // no OPENAT2 record: the access mode is unknown
        { serial: 34, syscall: 437, name: chart(5), oflag: 'x' },
      ),
    ).toEqual([]);
    expect(reads.stats.seen).toBe(0);
    expect(
      write(
        { serial: 35, syscall: 437, name: chart(6), oflag: '00' },
        { serial: 36, syscall: 437, name: 'c7.pdf', cwd: '/srv/phi/icu', oflag: '02000000' }, // O_RDONLY|O_CLOEXEC
      ).map((f) => f.path),
    ).toEqual([chart(6), chart(7)]);
  });

  it("counts without reporting the agent's own reads, a service's, and a named indexer's", async () => {
    const { reads, write } = await collector();
    const chart = '/srv/phi/icu/c1.pdf';
    expect(
      write(
        { serial: 20, name: chart, pid: 4242 },
        { serial: 21, name: chart, auid: 4294967295, exe: '/usr/sbin/backupd' },
        { serial: 22, name: chart, exe: '/usr/libexec/tracker-extract-3' },
      ),
    ).toEqual([]);
    expect(reads.stats).toMatchObject({ seen: 3, reported: 0, unattended: 1, ignoredExecutable: 1 });
  });

  it('reports a person and file once per window, each person apart', async () => {
    const { reads, write } = await collector();
    const chart = '/srv/phi/icu/c1.pdf';
    expect(write({ serial: 30, name: chart }, { serial: 31, at: 30, name: chart })).toHaveLength(1);
    expect(write({ serial: 32, at: 40, name: chart, auid: 1001 })).toHaveLength(1);
    expect(write({ serial: 33, at: 601, name: chart })).toHaveLength(1);
    expect(reads.stats).toMatchObject({ reported: 3, repeated: 1 });
  });

  it('reports at most maxPerMinute a minute, hands the rest to be counted as drops and says so once', async () => {
    const { reads, sink, write, warnings } = await collector({ maxPerMinute: 3 });
    const burst = Array.from({ length: 8 }, (_, i) => ({ serial: 40 + i, at: i, name: `/srv/phi/icu/c${i}.pdf` }));
    expect(write(...burst)).toHaveLength(3);
    expect(reads.stats.overLimit).toBe(5);
    expect(sink.overLimits.map((e) => file(e).path)).toEqual(burst.slice(3).map((o) => o.name));
    expect(warnings).toEqual(['over 3 patient-file reads this minute: the rest counted, not reported']);
    expect(write({ serial: 60, at: 61, name: '/srv/phi/icu/next.pdf' })).toHaveLength(1);
  });

  it('checks the audit rules while it runs, and not once stopped', async () => {
    const states: string[] = [];
    let rules = ''; // no rule at all: reads not audited here
    const auditCheck = new ReadRuleCheck({
      list: () => Promise.resolve(rules),
      folders: ['/srv/phi'],
      health: { report: (_name, state) => states.push(state) },
    });
    const { reads } = await collector({ auditCheck });
    await new Promise((resolve) => setImmediate(resolve));
    expect(states).toEqual(['stopped']);
    await reads.stop();
    rules = '-w /srv/phi -p r\n';
    await auditCheck.check();
    expect(states).toEqual(['stopped']);
  });

  it('fails to start, with the reason, when the audit log cannot be opened', async () => {
    const reads = new ReadCollector({
      feed: new AuditFeed({ path: '/nonexistent/audit.log' }),
      classify: new PathClassifier([{ path: '/srv/phi', class: 'phi' }]),
      userNames: { name: String },
      windowMs: 60_000,
      maxPerMinute: 10,
      ignoreExecutables: [],
    });
    await expect(reads.start(new RecordingSink())).rejects.toThrow(/cannot read the audit log: .*ENOENT/);
  });
});
