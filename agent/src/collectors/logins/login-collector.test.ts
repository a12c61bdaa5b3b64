// The collector on a real tailed file, with the real Linux auth-log parser.
import { appendFileSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Severity } from '@wardwatch/proto';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../logging/logger';
import { RecordingSink } from '../collector-test-sink.fixture';
import { LoginCollector } from './login-collector';
import { parseLinuxAuthLine } from './parsers/linux-auth-line';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function sut() {
  const dir = mkdtempSync(join(tmpdir(), 'ww-logins-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'auth.log');
  writeFileSync(path, 'Nov 22 10:00:00 ws12 sshd[1]: Failed password for old.entry from 198.51.100.1 port 1 ssh2\n');
  const collector = new LoginCollector({ authLogPath: path, parse: parseLinuxAuthLine, logger: createMemoryLogger(), pollMs: 20 });
  const sink = new RecordingSink();
  await collector.start(sink);
  cleanups.push(() => collector.stop());
  return { path, sink };
}

describe('LoginCollector (live)', () => {
  it('turns appended sshd and sudo lines into login events with severities, across a rotation', async () => {
    const { path, sink } = await sut();
    appendFileSync(path, 'Nov 22 10:11:12 ws12 sshd[4242]: Failed password for nurse.jones from 203.0.113.7 port 52114 ssh2\n');
    const failed = await sink.waitFor((s) => s.events[0], 'the failed logon');
    expect(failed.severity).toBe(Severity.SEVERITY_MEDIUM);
    expect(failed.user).toBe('nurse.jones');
    expect(failed.detail).toMatchObject({ $case: 'login', value: { action: 'failed_logon', service: 'sshd', sourceIp: '203.0.113.7', sourcePort: 52114 } });

    renameSync(path, `${path}.1`);
    writeFileSync(path, 'Nov 22 10:12:00 ws12 sudo: dr.house : TTY=pts/0 ; PWD=/home/dr.house ; USER=root ; COMMAND=/usr/bin/id\n');
    const sudo = await sink.waitFor((s) => s.events[1], 'the sudo line after rotation');
    expect(sudo.severity).toBe(Severity.SEVERITY_LOW);
    expect(sudo.detail).toMatchObject({ $case: 'login', value: { action: 'privilege_use', service: 'sudo', targetUser: 'root' } });
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
