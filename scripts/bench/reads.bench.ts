// Cost of reporting patient files read, from the Linux audit log (agent/src/collectors/reads/).
// The same generated auditd-format log is read through the shared tail twice in this
// process: with only the process collector's EXECVE assembler subscribed (the baseline:
// the tail the agent keeps anyway), then with the read collector added. The log is a
// burst no person makes: `grep -r` over a patient-data share by two logged-in users
// (opens to read of 20,000 files, each opened twice in a row), with executions between them.
// Prints CPU µs per audit line for both, the ratio, and what the collector reported.
// Run: npx tsx scripts/bench/reads.bench.ts [opens]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditExecAssembler } from '../../agent/src/collectors/processes/audit-execve';
import { ReadCollector } from '../../agent/src/collectors/reads/read-collector';
import { PathClassifier } from '../../agent/src/paths/path-classifier';
import { timeTail, writeAuditLog } from './lib/audit-log';

const opens = Number(process.argv[2] ?? 100_000);
const dir = mkdtempSync(join(tmpdir(), 'ww-bench-reads-'));
const f = (n: number, d = 2) => n.toFixed(d).padStart(9);

function readOpen(serial: number, t: string, i: number): string {
  const file = Math.floor(i / 2) % 20_000;
  const auid = 1001 + (file % 2); // each file twice in a row by the same person, the two alternating
  return [
    `type=SYSCALL msg=audit(${t}:${serial}): arch=c000003e syscall=257 success=yes exit=3 a0=ffffff9c a1=7ffe5957eae1 a2=80000 a3=0 items=1 ppid=900 pid=${2000 + (i % 2)} auid=${auid} uid=${auid} gid=100 euid=${auid} suid=${auid} fsuid=${auid} egid=100 sgid=100 fsgid=100 tty=pts0 ses=3 comm="grep" exe="/usr/bin/grep" key="wardwatch-phi-read"\x1dARCH=x86_64 SYSCALL=openat AUID="u${auid}"`,
    `type=CWD msg=audit(${t}:${serial}): cwd="/home/u${auid}"`,
    `type=PATH msg=audit(${t}:${serial}): item=0 name="/srv/patient-records/ward${file % 50}/bed${file % 12}/chart${file}.pdf" inode=${3000000 + i} dev=fe:00 mode=0100644 ouid=0 ogid=0 rdev=00:00 nametype=NORMAL cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0`,
    `type=PROCTITLE msg=audit(${t}:${serial}): proctitle=67726570`,
  ].join('\n');
}

function exec(serial: number, t: string, i: number): string {
  return [
    `type=SYSCALL msg=audit(${t}:${serial}): arch=c000003e syscall=59 success=yes exit=0 a0=1 a1=2 a2=3 a3=0 items=1 ppid=900 pid=${50000 + i} auid=1001 uid=1001 gid=100 euid=1001 suid=1001 fsuid=1001 egid=100 sgid=100 fsgid=100 tty=pts0 ses=3 comm="ls" exe="/usr/bin/ls" key="exec"`,
    `type=EXECVE msg=audit(${t}:${serial}): argc=1 a0="ls"`,
    `type=CWD msg=audit(${t}:${serial}): cwd="/home/u1001"`,
    `type=PATH msg=audit(${t}:${serial}): item=0 name="/usr/bin/ls" inode=1311234 dev=08:01 mode=0100755 ouid=0 ogid=0 rdev=00:00 nametype=NORMAL cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0`,
    `type=PROCTITLE msg=audit(${t}:${serial}): proctitle=6C73`,
  ].join('\n');
}

/** The log: `opens` read opens, one execution after every tenth; returns its line count. */
function writeLog(path: string): number {
  return writeAuditLog(path, opens, (serial, t, i) =>
    i % 10 === 9 ? `${readOpen(2 * serial, t, i)}\n${exec(2 * serial + 1, t, i)}` : readOpen(2 * serial, t, i),
  );
}

/** Reads the whole log through the tail; CPU µs per line, and the collector's stats when subscribed. */
function parse(prepared: string, lines: number, withReads: boolean) {
  let reported = 0;
  const sink = { emit: () => void (reported += 1), parseError: () => undefined };
  let reads!: ReadCollector;
  const usPerLine = timeTail(dir, prepared, lines, (feed) => {
    const assembler = new AuditExecAssembler();
    feed.subscribe({ record: (r) => void assembler.push(r) });
    reads = new ReadCollector({
      feed,
      classify: new PathClassifier([{ path: '/srv/patient-records', class: 'phi' }]),
      userNames: { name: (uid) => `u${uid}` },
      windowMs: 10 * 60_000,
      maxPerMinute: 600,
      ignoreExecutables: [],
      ownPid: 1,
    });
    if (withReads) void reads.start(sink); // acquires the feed
    return { acquired: withReads, done: () => void (withReads && reads.stop()) };
  });
  return { usPerLine, reported, stats: reads.stats };
}

function main(): void {
  const prepared = join(dir, 'prepared.log');
  const lines = writeLog(prepared);
  parse(prepared, lines, true); // warm-up: JIT, page cache
  const runs = [1, 2, 3].map(() => [parse(prepared, lines, false), parse(prepared, lines, true)] as const);
  const best = (i: 0 | 1) => Math.min(...runs.map((r) => r[i].usPerLine));
  console.log(`reads bench: ${opens} opens to read (${lines} audit lines), 3 runs each, best of three`);
  console.log(`  tail + EXECVE assembler (baseline) ${f(best(0))} µs CPU per line`);
  console.log(
    `  + read collector                   ${f(best(1))} µs CPU per line   ×${(best(1) / best(0)).toFixed(2)}`,
  );
  const { stats, reported } = runs[0][1];
  console.log(
    `  reported ${reported} (at most 600 a minute; all lines carry one second), seen ${stats.seen}, repeated ${stats.repeated}, over the limit ${stats.overLimit}`,
  );
  console.log(`  per read open: ${f(((best(1) - best(0)) * lines) / opens)} µs CPU more than the tail alone`);
  rmSync(dir, { recursive: true, force: true });
}

main();
