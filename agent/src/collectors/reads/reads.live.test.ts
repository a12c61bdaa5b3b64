// Reads of patient files live: this machine's kernel audit and auditd, a read rule
// (`perm=r`) on a temporary patient-data folder, and real programs reading in it
// as a logged-in person (their login uid set as a login does). Where auditd runs
// and we are root; the same records through a test-written log are read-collector.test.ts.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FileActivity } from '@wardwatch/proto';
import { afterEach, describe, expect, it } from 'vitest';
import { PathClassifier } from '../../paths/path-classifier';
import { AuditFeed, DEFAULT_AUDIT_LOG } from '../audit/audit-feed';
import { AUDITCTL, auditdRunning } from '../audit/auditd.fixture';
import { RecordingSink } from '../collector-test-sink.fixture';
import { PasswdUserNames } from '../user-names';
import { ReadCollector } from './read-collector';
import { auditctlRules, foldersWithoutReadRule } from './read-rules';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Runs a program as a session of login uid 0 would (the uid a login writes to /proc/self/loginuid). */
function asLoggedIn(...command: string[]): void {
  const r = spawnSync('/bin/sh', ['-c', 'echo 0 > /proc/self/loginuid && exec "$0" "$@"', ...command], {
    stdio: 'ignore',
  });
  if (r.status !== 0) throw new Error(`${command.join(' ')} exited with ${r.status}`);
}

/** A python3 on the PATH (openat2 has no wrapper in Node or the shell tools), else undefined. */
const python = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).stdout?.trim();

/** Reads `path` with openat2(2) and the access mode `flags`, through libc's syscall(), as a logged-in person. */
function openat2(path: string, flags: number): void {
  const script = [
    'import ctypes, os, sys',
    'how = (ctypes.c_uint64 * 3)(int(sys.argv[2]), 0, 0)',
    'fd = ctypes.CDLL(None).syscall(437, -100, sys.argv[1].encode(), ctypes.byref(how), 24)',
    'if fd < 0: sys.exit(1)',
    'os.close(fd)',
  ].join('\n');
  asLoggedIn(python, '-c', script, path, String(flags));
}

/** A temporary patient-data folder under a read rule, and a read collector on the live audit log. */
async function liveReads() {
  // Turned on in case something on the host switched the kernel audit off (`auditctl -e 0`, a journald).
  execFileSync(AUDITCTL, ['-e', '1'], { stdio: 'ignore' });
  const root = mkdtempSync(join(tmpdir(), 'ww-reads-live-'));
  cleanups.push(() => rmSync(root, { recursive: true, force: true }));
  const rule = ['-F', 'arch=b64', '-F', `dir=${root}`, '-F', 'perm=r', '-k', `wardwatch-test-read-${process.pid}`];
  execFileSync(AUDITCTL, ['-a', 'always,exit', ...rule]);
  cleanups.push(() => void execFileSync(AUDITCTL, ['-d', 'always,exit', ...rule]));
  const reads = new ReadCollector({
    feed: new AuditFeed({ path: DEFAULT_AUDIT_LOG, readIntervalMs: 50 }),
    classify: new PathClassifier([{ path: root, class: 'phi' }]),
    userNames: new PasswdUserNames(),
    windowMs: 60_000,
    maxPerMinute: 600,
    ignoreExecutables: [],
  });
  const sink = new RecordingSink();
  await reads.start(sink);
  cleanups.push(() => reads.stop());
  const files = () => sink.events.map((e) => ({ user: e.user, ...(e.detail?.value as FileActivity) }));
  return { root, reads, sink, files };
}

describe.runIf(auditdRunning())(
  'reads of patient files from the kernel audit (live, auditd)',
  { timeout: 20_000, retry: 2 },
  () => {
    it("reports each file a person's programs read once, and neither a listing nor a write", async () => {
      const { root, reads, sink, files } = await liveReads();
      const chart = join(root, 'chart 7.pdf');
      const note = join(root, 'note.txt');
      writeFileSync(chart, '%PDF-1.7 chart');
      writeFileSync(note, 'handover');

      asLoggedIn('/usr/bin/cat', chart);
      asLoggedIn('/usr/bin/ls', '-l', root);
      asLoggedIn('/bin/sh', '-c', `echo more >> '${note}'`);
      asLoggedIn('/usr/bin/cat', chart);
      asLoggedIn(process.execPath, '-e', `require('node:fs').readFileSync(${JSON.stringify(note)})`);
      await sink.waitFor((s) => (s.events.length >= 2 ? true : undefined), 'two reads');
      expect(files()).toMatchObject([
        { user: 'root', action: 'read', path: chart, folderClass: 'phi', process: realpathSync('/usr/bin/cat') },
        { user: 'root', action: 'read', path: note, process: realpathSync(process.execPath) },
      ]);
      expect(reads.stats).toMatchObject({ reported: 2, repeated: 1 });
      // The loaded rules say the folder's reads are audited, and a sibling's are not.
      const rules = await auditctlRules();
      expect(foldersWithoutReadRule([root, `${root}-other`], rules ?? '')).toEqual([`${root}-other`]);
    });

    it.runIf(python)('reports a file read with openat2, and not one openat2 opened for writing', async () => {
      const { root, sink, files } = await liveReads();
      const [written, read] = [join(root, 'written.pdf'), join(root, 'read.pdf')];
      writeFileSync(written, 'x');
      writeFileSync(read, 'y');
      openat2(written, 1); // O_WRONLY
      openat2(read, 0); // O_RDONLY
      await sink.waitFor((s) => (s.events.length >= 1 ? true : undefined), 'the openat2 read');
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(files()).toMatchObject([{ user: 'root', action: 'read', path: read, process: realpathSync(python) }]);
    });
  },
);
