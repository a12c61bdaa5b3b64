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

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const login = (e: Event) => (e.detail?.$case === 'login' ? e.detail.value : undefined);

/** `user@source`, the source being the address, else the host name, else the tty; `?` for no account. */
function failuresBySource(events: Event[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of events) {
    const l = login(e);
    if (l?.action !== 'failed_logon') continue;
    const key = `${e.user || '?'}@${l.sourceIp || l.sourceHost || l.tty || '-'}`;
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}

describe('LoginCollector counts each failed attempt once (live, real file)', () => {
  it('reads a mixed auth log appended in pieces and reports the exact failures per account and source', async () => {
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

    expect(failuresBySource(sink.events)).toEqual({
      // sshd: Invalid user + PAM + Failed ×3 + PAM 2 more = 3; the pid reused 20 minutes later is a new connection (1).
      'admin@203.0.113.10': 4,
      'test@203.0.113.10': 1,
      // PAM + Failed + repeated 4 + Failed + max exceeded + Disconnecting + PAM 5 more = 6.
      'root@198.51.100.20': 6,
      'nurse.kim@192.0.2.44': 1,
      // PAM without user=: unknown per source, the DNS name kept as a host.
      '?@scan-7.example.net': 4,
      '?@203.0.113.99': 1,
      // Failed publickey + repeated once + Disconnecting for bob = 2; the bare Disconnecting of pid 2109 names nobody.
      'bob@192.0.2.50': 2,
      'root@203.0.113.30': 3,
      'root@gw-17.example.net': 1,
      // A scanner behind a resolved name: sshd gives the address, PAM the name; one failure per connection.
      'oracle@198.51.100.77': 1,
      'postgres@198.51.100.77': 1,
      'admin@198.51.100.77': 3,
      // ftpd: three FTP LOGIN FAILED with the old-form PAM line of the same pid; wu-ftpd failures and their summary.
      'admin@198.51.100.4': 3,
      '?@198.51.100.88': 2,
      '?@192.0.2.9': 2,
      // login: PAM + FAILED LOGIN 1 + FAILED LOGIN 2 + PAM 1 more + TOO MANY = 2; su: PAM + FAILED SU = 1.
      'root@tty1': 2,
      'alice@pts/1': 1,
      'nurse.lee@tty1': 2,
      'dr.wu@:0': 1,
    });
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
});
