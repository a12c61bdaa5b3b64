// Against a real utmp file in glibc's layout, read by the logins collector's own reader.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { utmpFileSessions } from '../collectors/logins/sessions/utmp-file';
import { utmpRecord, type UtmpLogin } from '../collectors/logins/sessions/utmp-record.fixture';
import { ActiveSessionUser } from './active-session-user';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function utmpFile(logins: UtmpLogin[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'ww-utmp-'));
  dirs.push(dir);
  const path = join(dir, 'utmp');
  writeFileSync(path, Buffer.concat(logins.map(utmpRecord)));
  return path;
}

// Sessions whose process lives (this test's own pid), as utmp's reader requires.
const alive = process.pid;

describe('ActiveSessionUser', () => {
  it('names the local graphical session, not a newer remote or console one, and follows a change', async () => {
    const path = utmpFile([
      { pid: alive, tty: 'tty2', user: 'root', startSeconds: 1_700_000_300 },
      { pid: alive, tty: ':0', user: 'nurse.jones', startSeconds: 1_700_000_000 },
      { pid: alive, tty: 'pts/0', user: 'it.admin', ipv4: '10.0.0.5', startSeconds: 1_700_000_600 },
      { pid: alive, tty: ':1', user: 'dr.gone', startSeconds: 1_700_000_900, type: 8 },
    ]);
    const users = new ActiveSessionUser(utmpFileSessions(path), { refreshMs: 20 });
    expect(users.current()).toBe('');
    await users.start();
    try {
      expect(users.current()).toBe('nurse.jones');
      // Fast user switching: the newer graphical session is the one at the seat.
      writeFileSync(
        path,
        Buffer.concat(
          [
            { pid: alive, tty: ':0', user: 'nurse.jones', startSeconds: 1_700_000_000 },
            { pid: alive, tty: ':1', user: 'dr.house', startSeconds: 1_700_003_600 },
          ].map(utmpRecord),
        ),
      );
      await waitFor(() => users.current() === 'dr.house');
      // Everyone logged out: nobody.
      writeFileSync(path, Buffer.alloc(0));
      await waitFor(() => users.current() === '');
    } finally {
      await users.stop();
    }
  });

  it('keeps the last answer when the sessions cannot be read, and counts the failure', async () => {
    let fail = false;
    const path = utmpFile([{ pid: alive, tty: 'tty1', user: 'porter.lee', startSeconds: 1_700_000_000 }]);
    const read = utmpFileSessions(path);
    const warnings: string[] = [];
    const users = new ActiveSessionUser(() => (fail ? Promise.reject(new Error('EACCES')) : read()), {
      log: (_level, message) => warnings.push(message),
    });
    await users.refresh();
    expect(users.current()).toBe('porter.lee');
    fail = true;
    await users.refresh();
    expect(users.current()).toBe('porter.lee');
    expect(users.stats).toMatchObject({ polls: 1, pollErrors: 1 });
    expect(warnings).toEqual(['reading the active session failed: EACCES']);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
