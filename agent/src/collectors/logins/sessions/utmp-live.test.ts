// Open sessions read live through systeminformation (`who`, `w`) from a real
// /run/utmp, written by this test in glibc's record layout — only where no utmp
// exists (a container or CI runner), so a real one is never touched — and
// removed afterwards.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Event } from '@wardwatch/proto';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../../logging/logger';
import { RecordingSink } from '../../collector-test-sink.fixture';
import { LoginCollector } from '../login-collector';
import { parseLinuxAuthLine } from '../parsers/linux-auth-line';
import { NodeProcessSpawner } from '../parsers/readers/process-spawner';
import { AuthLogSource } from '../sources/auth-log-source';
import { systemInformationSessions } from './utmp-sessions';

const UTMP = '/run/utmp';
const canRun = process.platform === 'linux' && process.arch === 'x64' && process.getuid?.() === 0 && !existsSync(UTMP) && new NodeProcessSpawner().commandExists('who');

interface Login {
  pid: number;
  tty: string;
  user: string;
  ipv4: string;
  startSeconds: number;
}

/** One USER_PROCESS record of glibc's x86-64 `struct utmp` (384 bytes). */
function utmpRecord(l: Login): Buffer {
  const b = Buffer.alloc(384);
  b.writeInt16LE(7, 0); // USER_PROCESS
  b.writeInt32LE(l.pid, 4);
  b.write(l.tty, 8, 32, 'latin1');
  b.write(l.tty.slice(-4), 40, 4, 'latin1');
  b.write(l.user, 44, 32, 'latin1');
  b.write(l.ipv4, 76, 256, 'latin1');
  b.writeInt32LE(l.startSeconds, 340);
  Buffer.from(l.ipv4.split('.').map(Number)).copy(b, 348);
  return b;
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

const login = (e: Event) => (e.detail?.$case === 'login' ? e.detail.value : undefined);
const syslogStamp = (d: Date) =>
  `${d.toLocaleString('en-US', { month: 'short' })} ${String(d.getDate()).padStart(2, ' ')} ${d.toTimeString().slice(0, 8)}`;

// In this file, not beside the mapping tests: files run in parallel, and this one writes /run/utmp.
describe.runIf(process.platform === 'linux')('systemInformationSessions on this host', () => {
  it('lists as many sessions as `who` does', async () => {
    const who = execFileSync('who', { encoding: 'utf8' }).split('\n').filter((l) => l.trim() !== '');
    const sessions = await systemInformationSessions()();
    expect(sessions.length).toBe(who.length);
    for (const s of sessions) expect(who.some((line) => line.startsWith(s.user))).toBe(true);
  });
});

describe.runIf(canRun)('open sessions from a real utmp (live)', () => {
  it('reports a session as logon and, once it ends, logoff — and one the auth log already reported, not again', async () => {
    // `who` lists a utmp record only while its process lives.
    const holders: ChildProcess[] = [spawn('sleep', ['60']), spawn('sleep', ['60'])];
    cleanups.push(() => holders.forEach((h) => h.kill()));
    cleanups.push(() => rmSync(UTMP, { force: true }));
    const now = Math.floor(Date.now() / 1000);
    const nurse: Login = { pid: holders[0]!.pid!, tty: 'pts/9', user: 'nurse.jones', ipv4: '203.0.113.9', startSeconds: now };
    const doctor: Login = { pid: holders[1]!.pid!, tty: 'pts/10', user: 'dr.house', ipv4: '203.0.113.10', startSeconds: now };
    writeFileSync(UTMP, utmpRecord(nurse));

    const dir = mkdtempSync(join(tmpdir(), 'ww-utmp-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const authLog = join(dir, 'auth.log');
    writeFileSync(authLog, '');
    const sink = new RecordingSink();
    const collector = new LoginCollector({
      source: new AuthLogSource({ path: authLog, parse: parseLinuxAuthLine, pollMs: 20 }),
      sessions: { provider: systemInformationSessions(), pollMs: 200 },
      logger: createMemoryLogger(),
    });
    await collector.start(sink);
    cleanups.push(() => void collector.stop());

    // Open at start: a logon, from utmp.
    expect(sink.events.map((e) => [e.user, login(e)?.action, login(e)?.service, login(e)?.tty, login(e)?.sourceIp])).toEqual([
      ['nurse.jones', 'logon', 'utmp', 'pts/9', '203.0.113.9'],
    ]);
    expect(sink.events[0]!.timeMs).toBe(Math.floor(now / 60) * 60_000); // utmp as `who` prints it: the minute

    // sshd logs the doctor's login, then utmp holds the session: one logon, the log's.
    appendFileSync(authLog, `${syslogStamp(new Date())} ws12 sshd[77]: Accepted password for dr.house from 203.0.113.10 port 40022 ssh2\n`);
    await sink.waitFor((s) => s.events.find((e) => e.user === 'dr.house'), 'the sshd logon');
    writeFileSync(UTMP, Buffer.concat([utmpRecord(nurse), utmpRecord(doctor)]));
    await sink.waitFor(() => ((collector.sessionStats?.alreadyLogged ?? 0) >= 1 ? true : undefined), 'the session matched to the log line');

    // The nurse's session ends (its process is gone): a logoff no log line told.
    holders[0]!.kill();
    const logoff = await sink.waitFor((s) => s.events.find((e) => login(e)?.action === 'logoff'), 'the logoff');
    expect([logoff.user, login(logoff)?.service, login(logoff)?.tty]).toEqual(['nurse.jones', 'utmp', 'pts/9']);
    expect(sink.events.filter((e) => e.user === 'dr.house').map((e) => login(e)?.service)).toEqual(['sshd']);
  }, 20_000);
});
