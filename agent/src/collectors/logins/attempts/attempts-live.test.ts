// One attempt = one failed logon, end to end: a realistic auth log of 100
// lines (sshd invalid users and repeats, PAM summaries, interleaved pids, a
// reused pid, ftpd, klogind, login, su, gdm, lightdm, noise) appended to a
// real file in pieces, read through the collector's own AuthLogSource
// (LogFollower → LogTail) and parser, counted per account and source.
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Event } from '@wardwatch/proto';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../../logging/logger';
import { RecordingSink } from '../../collector-test-sink.fixture';
import { LoginCollector } from '../login-collector';
import { parseLinuxAuthLine } from '../parsers/linux-auth-line';
import { AuthLogSource } from '../sources/auth-log-source';
import { failuresBySource, MIXED_AUTH_FAILURES } from './fixtures/mixed-auth.fixture';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const login = (e: Event) => (e.detail?.$case === 'login' ? e.detail.value : undefined);

/** A collector tailing a new, empty auth log of its own (stopped after the test; stopping twice is harmless). */
async function tailing() {
  const dir = mkdtempSync(join(tmpdir(), 'ww-attempts-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'auth.log');
  writeFileSync(path, '');
  const collector = new LoginCollector({
    source: new AuthLogSource({ path, parse: parseLinuxAuthLine, pollMs: 20 }),
    sessions: null,
    logger: createMemoryLogger(),
  });
  const sink = new RecordingSink();
  await collector.start(sink);
  cleanups.push(() => collector.stop());
  return { path, collector, sink };
}

describe('LoginCollector counts each failed attempt once (live, real file)', () => {
  it('reads a mixed auth log appended in pieces and reports the exact failures per account and source', async () => {
    const { path, collector, sink } = await tailing();

    const text = readFileSync(join(__dirname, 'fixtures', 'mixed-auth.log'), 'utf8');
    expect(text.split('\n').filter(Boolean)).toHaveLength(100);
    // Pieces that cut lines in the middle: the tail holds a partial line until its end arrives.
    for (let at = 0; at < text.length; at += 997) {
      appendFileSync(path, text.slice(at, at + 997));
      await new Promise((resolve) => setTimeout(resolve, 15));
    }
    appendFileSync(
      path,
      'Nov 22 02:40:00 ws-ward3 sshd[2199]: Accepted publickey for end.marker from 192.0.2.1 port 1 ssh2\n',
    );
    await sink.waitFor((s) => s.events.find((e) => e.user === 'end.marker'), 'the last line', 10_000);

    expect(failuresBySource(sink.events)).toEqual(MIXED_AUTH_FAILURES);
    expect(sink.errors).toEqual([]);

    const others = sink.events
      .filter((e) => login(e)?.action !== 'failed_logon' && e.user !== 'end.marker')
      .map((e) => [e.user, login(e)?.action, login(e)?.service, login(e)?.targetUser]);
    expect(others).toEqual([
      ['nurse.kim', 'logon', 'sshd', ''],
      ['nurse.kim', 'logon', 'sshd', ''],
      ['anonymous', 'logon', 'ftpd', ''],
      ['pharm.tech', 'logon', 'ftpd', ''],
      // root's su to cyrus, and no logoff of cyrus when it closes.
      ['root', 'privilege_use', 'su', 'cyrus'],
      ['nurse.lee', 'logon', 'gdm', ''],
      ['dr.wu', 'privilege_use', 'sudo', 'root'],
      ['nurse.kim', 'logoff', 'sshd', ''],
      ['nurse.kim', 'logoff', 'sshd', ''],
    ]);
    expect(collector.attemptStats.dropped).toBe(1);
  }, 30_000);

  it('reports on stop a failure still waiting for its address, and shows it held till then', async () => {
    const { path, collector, sink } = await tailing();
    appendFileSync(
      path,
      'Nov 22 03:00:00 ws-ward3 sshd[2300]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=dsl-7.example.net  user=root\n',
    );
    for (let i = 0; i < 200 && collector.attemptStats.held === 0; i++)
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect(collector.attemptStats.held).toBe(1);
    expect(sink.events).toEqual([]);
    await collector.stop();
    expect(sink.events.map((e) => [e.user, login(e)?.action, login(e)?.sourceHost])).toEqual([
      ['root', 'failed_logon', 'dsl-7.example.net'],
    ]);
    expect(collector.attemptStats.held).toBe(0);
  }, 30_000);
});
