import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  failuresBySource,
  MIXED_AUTH_FAILURES,
} from '../../../agent/src/collectors/logins/attempts/fixtures/mixed-auth.fixture';
import { formatReplay, replayAuthLog } from './replay-auth-log';
import { linesFile, tempFolders } from '../../lib/script-test.fixture';

const MIXED_AUTH = join(__dirname, '../../../agent/src/collectors/logins/attempts/fixtures/mixed-auth.log');

const tempFolder = tempFolders();

const log = async (lines: string[]) => linesFile(await tempFolder('auth-replay'), 'auth.log', lines);

describe('replayAuthLog', () => {
  it('counts what the live collector counts on the same log: one failed logon per attempt, per account and source', async () => {
    const replay = await replayAuthLog(MIXED_AUTH, { readAt: Date.UTC(2026, 11, 31) });

    expect(failuresBySource(replay.events)).toEqual(MIXED_AUTH_FAILURES);
    expect(replay.lines).toEqual({ lines: 100, ignored: 30 });
    expect(replay.errors.size).toBe(0);
    expect(replay.attempts.dropped).toBe(1);
    const text = formatReplay('mixed-auth.log', replay);
    expect(text).toContain('auth log mixed-auth.log: 100 lines, 30 not about logins, 0 not understood');
    expect(text).toContain('failed logons: 41 attempts from 15 sources against 14 accounts');
    expect(text).toContain('  198.51.100.20: 6 failed logons, 1 account\n');
    expect(text).toContain('  198.51.100.77: 5 failed logons, 3 accounts\n');
    expect(text).toContain('accounts the log does not name, kept per source: 4');
    expect(text).toContain('logons 5, logoffs 2, privilege use 2 (su 1, sudo 1)');
  });

  it('dates classic lines as the agent would reading them at --read-at: December read in January is last year', async () => {
    const path = await log([
      'Dec 31 23:59:00 ws-1 sshd[10]: Failed password for root from 192.0.2.1 port 1 ssh2',
      'Jan  1 00:01:00 ws-1 sshd[11]: Failed password for root from 192.0.2.1 port 2 ssh2',
    ]);

    const replay = await replayAuthLog(path, { readAt: Date.UTC(2006, 0, 2) });

    expect(replay.events.map((e) => new Date(e.timeMs).toISOString())).toEqual([
      '2005-12-31T23:59:00.000Z',
      '2006-01-01T00:01:00.000Z',
    ]);
  });

  it('counts lines it cannot read by reason and goes on', async () => {
    const path = await log([
      'Nov 22 02:14:03 ws-1 sshd',
      'not a syslog line at all',
      `Nov 22 02:14:04 ws-1 sshd[12]: Failed password for ${'x'.repeat(17_000)} from 192.0.2.1 port 1 ssh2`,
      'Nov 22 02:14:05 ws-1 sshd[13]: Failed password for root from 192.0.2.1 port 1 ssh2',
    ]);

    const replay = await replayAuthLog(path, { readAt: Date.UTC(2026, 11, 31) });

    expect(replay.events).toHaveLength(1);
    expect(replay.lines.lines).toBe(4);
    expect([...replay.errors.values()].reduce((a, b) => a + b, 0) + replay.lines.ignored).toBe(3);
    expect(replay.errors.get('auth log line longer than 16 KiB')).toBe(1);
  });
});
