// The collector on real sources: a tailed file with the real Linux auth-log
// parser, a real journald (a private namespace, when this runs as root) and
// sessions checked against the log so nothing is counted twice.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Severity, type Event } from '@wardwatch/proto';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../logging/logger';
import { RecordingSink } from '../collector-test-sink.fixture';
import { LoginCollector } from './login-collector';
import { parseLinuxAuthLine } from './parsers/linux-auth-line';
import { NodeProcessSpawner } from '../process-spawner';
import type { OpenSession } from './sessions/utmp-sessions';
import { AuthLogSource } from './sources/auth-log-source';
import { createLoginSource } from './sources/create-login-source';
import { kernelAudit } from '../audit/auditd.fixture';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ww-logins-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function sut(options: { sessions?: () => OpenSession[]; now?: () => number } = {}) {
  const path = join(tempDir(), 'auth.log');
  writeFileSync(path, 'Nov 22 10:00:00 ws12 sshd[1]: Failed password for old.entry from 198.51.100.1 port 1 ssh2\n');
  const collector = new LoginCollector({
    source: new AuthLogSource({ path, parse: parseLinuxAuthLine, pollMs: 20 }),
    sessions: options.sessions ? { provider: () => Promise.resolve(options.sessions!()), pollMs: 60_000 } : null,
    logger: createMemoryLogger(),
    now: options.now,
  });
  const sink = new RecordingSink();
  await collector.start(sink);
  cleanups.push(() => collector.stop());
  return { path, sink, collector };
}

const login = (e: Event) => (e.detail?.$case === 'login' ? e.detail.value : undefined);

describe('LoginCollector with the auth log (live)', () => {
  it('turns appended sshd and sudo lines into login events with severities, across a rotation', async () => {
    const { path, sink } = await sut();
    appendFileSync(
      path,
      'Nov 22 10:11:12 ws12 sshd[4242]: Failed password for nurse.jones from 203.0.113.7 port 52114 ssh2\n',
    );
    const failed = await sink.waitFor((s) => s.events[0], 'the failed logon');
    expect(failed.severity).toBe(Severity.SEVERITY_MEDIUM);
    expect(failed.user).toBe('nurse.jones');
    expect(failed.detail).toMatchObject({
      $case: 'login',
      value: { action: 'failed_logon', service: 'sshd', sourceIp: '203.0.113.7', sourcePort: 52114 },
    });

    renameSync(path, `${path}.1`);
    writeFileSync(
      path,
      'Nov 22 10:12:00 ws12 sudo: dr.house : TTY=pts/0 ; PWD=/home/dr.house ; USER=root ; COMMAND=/usr/bin/id\n',
    );
    const sudo = await sink.waitFor((s) => s.events[1], 'the sudo line after rotation');
    expect(sudo.severity).toBe(Severity.SEVERITY_LOW);
    expect(sudo.detail).toMatchObject({
      $case: 'login',
      value: { action: 'privilege_use', service: 'sudo', targetUser: 'root' },
    });
    expect(sink.events).toHaveLength(2); // the line present before the start was not re-read
  });

  it('counts unreadable login lines and ignores unrelated ones', async () => {
    const { path, sink } = await sut();
    appendFileSync(path, 'Nov 22 10:11:12 ws12 CRON[99]: pam_unix(cron:session): session closed for user root\n');
    appendFileSync(path, 'Nov 99 99:99:99 ws12 sshd[1]: Failed password for x from 1.2.3.4 port 1 ssh2\n');
    await sink.waitFor((s) => s.errors[0], 'a parse error');
    expect(sink.errors[0].collector).toBe('logins');
  });
});

describe('LoginCollector sessions against the log', () => {
  const at = (hh: number, mm: number, ss = 0) => new Date(2026, 10, 22, hh, mm, ss).getTime();
  const line = (hh: number, mm: number, ss: number, text: string) =>
    `Nov 22 ${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}:${String(ss).padStart(2, '0')} ws12 ${text}\n`;

  it('reports sessions open at start, skips one the log already reported, and a logoff only the log did not', async () => {
    let open: OpenSession[] = [{ user: 'nurse.jones', tty: 'tty1', from: '', startMs: at(8, 0) }];
    let clock = at(10, 12);
    const { path, sink, collector } = await sut({ sessions: () => open, now: () => clock });
    // At start: the session open before the agent is a logon, at its own start time.
    expect(sink.events.map((e) => [e.user, login(e)?.action, login(e)?.service, login(e)?.tty, e.timeMs])).toEqual([
      ['nurse.jones', 'logon', 'utmp', 'tty1', at(8, 0)],
    ]);

    // An SSH login: the log says it first (with method and port); utmp then shows it with the same address.
    appendFileSync(
      path,
      line(
        10,
        12,
        30,
        'sshd[77]: Accepted publickey for dr.house from 203.0.113.9 port 40022 ssh2: ED25519 SHA256:abc',
      ),
    );
    await sink.waitFor((s) => (s.events.length === 2 ? true : undefined), 'the sshd logon');
    open = [...open, { user: 'dr.house', tty: 'pts/0', from: '203.0.113.9', startMs: at(10, 12) }];
    clock = at(10, 13);
    await (collector as unknown as { watcher: { poll(): Promise<void> } }).watcher.poll();
    expect(sink.events).toHaveLength(2);
    expect(collector.sessionStats).toMatchObject({ logons: 1, alreadyLogged: 1 });

    // Both end: the log reports the SSH disconnect; the console logout only utmp sees.
    appendFileSync(path, line(10, 14, 0, 'sshd[77]: Disconnected from user dr.house 203.0.113.9 port 40022'));
    await sink.waitFor((s) => (s.events.length === 3 ? true : undefined), 'the sshd logoff');
    open = [];
    clock = at(10, 14, 10);
    await (collector as unknown as { watcher: { poll(): Promise<void> } }).watcher.poll();
    expect(sink.events.slice(2).map((e) => [e.user, login(e)?.action, login(e)?.service])).toEqual([
      ['dr.house', 'logoff', 'sshd'],
      ['nurse.jones', 'logoff', 'utmp'],
    ]);
    expect(sink.events[3].timeMs).toBe(at(10, 14, 10));
    expect(collector.sessionStats).toMatchObject({ logons: 1, logoffs: 1, alreadyLogged: 2 });
  });
});

describe('LoginCollector when its log source cannot start', () => {
  it('still watches open sessions, and fails only when there is nothing else to run', async () => {
    const journal = createLoginSource('journald', { spawner: new NodeProcessSpawner('/nonexistent'), authLog: null })!;
    const sink = new RecordingSink();
    const logger = createMemoryLogger();
    const collector = new LoginCollector({
      source: journal,
      sessions: {
        provider: () => Promise.resolve([{ user: 'nurse.jones', tty: 'tty1', from: '', startMs: 5 }]),
        pollMs: 60_000,
      },
      logger,
    });
    await collector.start(sink);
    cleanups.push(() => collector.stop());
    expect(sink.events.map((e) => login(e)?.service)).toEqual(['utmp']);
    expect(logger.lines.some((l) => l.msg === 'login source failed to start, open sessions still watched')).toBe(true);
    const alone = new LoginCollector({ source: journal, sessions: null, logger });
    await expect(alone.start(sink)).rejects.toThrow('journald is not available on this host');
  });
});

/** This process's children, from /proc (to stop one this test's collector started, by its pid). */
function childrenOf(ppid: number): { pid: number; cmdline: string }[] {
  const out: { pid: number; cmdline: string }[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) !== ppid) continue;
      out.push({ pid: Number(name), cmdline: readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').join(' ') });
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

// A real journald, in a namespace of its own so the test neither needs nor
// disturbs the host's journal; fed through its syslog socket like sshd would.
const journald = '/lib/systemd/systemd-journald';
const canRunJournald =
  process.platform === 'linux' &&
  process.getuid?.() === 0 &&
  existsSync(journald) &&
  existsSync('/etc/machine-id') &&
  new NodeProcessSpawner().commandExists('journalctl') &&
  new NodeProcessSpawner().commandExists('logger');

describe.runIf(canRunJournald)('LoginCollector with journald (live)', () => {
  it('reads sshd and sudo records from a running journald through journalctl -f -o json', async () => {
    const namespace = `wwtest${process.pid}`;
    // Debian's journald (systemd 252) turns the kernel audit off at start unless `Audit=` is unset:
    // left to it, every test and agent following the audit log at the same time saw audit fail.
    const config = `/run/systemd/journald@${namespace}.conf.d`;
    mkdirSync(config, { recursive: true });
    writeFileSync(join(config, 'audit.conf'), '[Journal]\nAudit=\n');
    const auditBefore = kernelAudit()?.enabled;
    const daemon: ChildProcess = spawn(journald, [namespace], { stdio: 'ignore' });
    const journalDir = `/var/log/journal/${readFileSync('/etc/machine-id', 'utf8').trim()}.${namespace}`;
    cleanups.push(() => {
      daemon.kill();
      rmSync(`/run/systemd/journal.${namespace}`, { recursive: true, force: true });
      rmSync(journalDir, { recursive: true, force: true });
      rmSync(config, { recursive: true, force: true });
    });
    const socket = `/run/systemd/journal.${namespace}/dev-log`;
    const deadline = Date.now() + 5_000;
    // journalctl -f follows only a journal that exists when it starts.
    while (!existsSync(socket) || !existsSync(`${journalDir}/system.journal`)) {
      if (Date.now() > deadline) throw new Error('journald did not start');
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(kernelAudit()?.enabled).toBe(auditBefore);
    const source = createLoginSource('journald', {
      spawner: new NodeProcessSpawner(),
      authLog: null,
      journalNamespace: namespace,
    })!;
    const logger = createMemoryLogger();
    const collector = new LoginCollector({ source, sessions: null, logger });
    const sink = new RecordingSink();
    await collector.start(sink);
    cleanups.push(() => collector.stop());
    await new Promise((r) => setTimeout(r, 500)); // journalctl -f -n 0 has started following
    const log = (tag: string, facility: string, message: string) =>
      execFileSync('logger', ['-u', socket, '-p', facility, '-t', tag, '--id=4242', message]);
    log('sshd', 'authpriv.info', 'Failed password for nurse.jones from 203.0.113.7 port 52114 ssh2');
    log('sudo', 'authpriv.notice', 'dr.house : TTY=pts/0 ; PWD=/home/dr.house ; USER=root ; COMMAND=/usr/bin/id');
    log('cron', 'cron.info', 'sshd-like but not an auth facility: Failed password for x from 1.2.3.4 port 1 ssh2');
    log('sshd', 'authpriv.info', 'Accepted password for nurse.jones from 203.0.113.7 port 52115 ssh2');
    // Written back to back: journalctl's own matches lost such records here, the agent's filter does not.
    const events = await sink.waitFor(
      (s) => (s.events.length >= 3 ? s.events : undefined),
      'three journald logins',
      10_000,
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(events.map((e) => [e.user, login(e)?.action, login(e)?.service])).toEqual([
      ['nurse.jones', 'failed_logon', 'sshd'],
      ['dr.house', 'privilege_use', 'sudo'],
      ['nurse.jones', 'logon', 'sshd'],
    ]);
    expect(sink.errors).toEqual([]);

    // journalctl dies; what is logged before it is back is still read (it resumes after the last cursor).
    const journalctl = childrenOf(process.pid).find((c) => c.cmdline.includes(`--namespace=${namespace}`))!;
    process.kill(journalctl.pid, 'SIGKILL');
    log('sshd', 'authpriv.info', 'Failed password for while.down from 203.0.113.8 port 40000 ssh2');
    const late = await sink.waitFor(
      (s) => s.events.find((e) => e.user === 'while.down'),
      'the record written while journalctl was down',
      10_000,
    );
    expect(login(late)).toMatchObject({ action: 'failed_logon', sourceIp: '203.0.113.8' });
    expect(childrenOf(process.pid).find((c) => c.cmdline.includes(`--namespace=${namespace}`))?.cmdline).toMatch(
      /--after-cursor=s=/,
    );
    expect(sink.events.filter((e) => e.user === 'nurse.jones')).toHaveLength(2); // nothing read twice
    expect(login(events[0])).toMatchObject({ sourceIp: '203.0.113.7', sourcePort: 52114 });
    expect(Math.abs(events[0].timeMs - Date.now())).toBeLessThan(10_000);
  }, 30_000);
});
