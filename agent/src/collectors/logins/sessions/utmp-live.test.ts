// Open sessions read live: from a real utmp file in glibc's record layout, written
// by this test in a temp folder (the real /run/utmp is never touched), and through
// systeminformation (`who`) on this host's own utmp.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Event } from '@wardwatch/proto';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../../logging/logger';
import { RecordingSink } from '../../collector-test-sink.fixture';
import { LoginCollector } from '../login-collector';
import { parseLinuxAuthLine } from '../parsers/linux-auth-line';
import { NodeProcessSpawner } from '../../process-spawner';
import { AuthLogSource } from '../sources/auth-log-source';
import { utmpFileSessions } from './utmp-file';
import { utmpRecord, type UtmpLogin } from './utmp-record.fixture';
import { systemInformationSessions } from './utmp-sessions';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

const login = (e: Event) => (e.detail?.$case === 'login' ? e.detail.value : undefined);
const syslogStamp = (d: Date) =>
  `${d.toLocaleString('en-US', { month: 'short' })} ${String(d.getDate()).padStart(2, ' ')} ${d.toTimeString().slice(0, 8)}`;

describe.runIf(process.platform === 'linux' && new NodeProcessSpawner().commandExists('who'))(
  'systemInformationSessions on this host',
  () => {
    it('lists as many sessions as `who` does', async () => {
      const who = execFileSync('who', { encoding: 'utf8' })
        .split('\n')
        .filter((l) => l.trim() !== '');
      const sessions = await systemInformationSessions()();
      expect(sessions.length).toBe(who.length);
      for (const s of sessions) expect(who.some((line) => line.startsWith(s.user))).toBe(true);
    });
  },
);

describe.runIf(process.platform === 'linux')('open sessions from a real utmp file (live)', () => {
  it('reports a session as logon and, once it ends, logoff — and one the auth log already reported, not again', async () => {
    // A utmp record counts only while its process lives (as `who` has it).
    const holders: ChildProcess[] = [spawn('sleep', ['60']), spawn('sleep', ['60'])];
    cleanups.push(() => holders.forEach((h) => h.kill()));
    const now = Math.floor(Date.now() / 1000);
    const nurse: UtmpLogin = {
      pid: holders[0].pid!,
      tty: 'pts/9',
      user: 'nurse.jones',
      ipv4: '203.0.113.9',
      startSeconds: now,
    };
    const doctor: UtmpLogin = {
      pid: holders[1].pid!,
      tty: 'pts/10',
      user: 'dr.house',
      ipv4: '203.0.113.10',
      startSeconds: now,
    };
    const dir = mkdtempSync(join(tmpdir(), 'ww-utmp-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const utmp = join(dir, 'utmp');
    writeFileSync(utmp, utmpRecord(nurse));
    const authLog = join(dir, 'auth.log');
    writeFileSync(authLog, '');
    const sink = new RecordingSink();
    const collector = new LoginCollector({
      source: new AuthLogSource({ path: authLog, parse: parseLinuxAuthLine, pollMs: 20 }),
      sessions: { provider: utmpFileSessions(utmp), pollMs: 200 },
      logger: createMemoryLogger(),
    });
    await collector.start(sink);
    cleanups.push(() => void collector.stop());

    // Open at start: a logon, from utmp.
    expect(
      sink.events.map((e) => [e.user, login(e)?.action, login(e)?.service, login(e)?.tty, login(e)?.sourceIp]),
    ).toEqual([['nurse.jones', 'logon', 'utmp', 'pts/9', '203.0.113.9']]);
    expect(sink.events[0].timeMs).toBe(now * 1_000);

    // sshd logs the doctor's login, then utmp holds the session: one logon, the log's.
    appendFileSync(
      authLog,
      `${syslogStamp(new Date())} ws12 sshd[77]: Accepted password for dr.house from 203.0.113.10 port 40022 ssh2\n`,
    );
    await sink.waitFor((s) => s.events.find((e) => e.user === 'dr.house'), 'the sshd logon');
    writeFileSync(utmp, Buffer.concat([utmpRecord(nurse), utmpRecord(doctor)]));
    await sink.waitFor(
      () => ((collector.sessionStats?.alreadyLogged ?? 0) >= 1 ? true : undefined),
      'the session matched to the log line',
    );

    // The nurse's session ends (its process is gone): a logoff no log line told.
    holders[0].kill();
    const logoff = await sink.waitFor((s) => s.events.find((e) => login(e)?.action === 'logoff'), 'the logoff');
    expect([logoff.user, login(logoff)?.service, login(logoff)?.tty]).toEqual(['nurse.jones', 'utmp', 'pts/9']);
    expect(sink.events.filter((e) => e.user === 'dr.house').map((e) => login(e)?.service)).toEqual(['sshd']);
  }, 20_000);
});
