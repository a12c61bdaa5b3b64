import { describe, expect, it } from 'vitest';
import type { OpenSession } from '../collectors/logins/sessions/utmp-sessions';
import { activeSession, activeSessionUser } from './session-user';

const session = (user: string, tty: string, from = '', startMs = 1_000): OpenSession => ({ user, tty, from, startMs });
const pseudonym = (name: string) => `u_${Buffer.from(name).toString('hex')}`;

describe('activeSession', () => {
  it('takes the local graphical session before consoles and remote ones', () => {
    const open = [
      session('it.admin', 'pts/0', '10.0.0.5', 9_000),
      session('root', 'tty2', '', 8_000),
      session('nurse1', ':0', '', 2_000),
    ];
    expect(activeSession(open)?.user).toBe('nurse1');
  });

  it('takes the newest of two local graphical sessions, a console when there is no display', () => {
    expect(activeSession([session('a', ':0', '', 1_000), session('b', ':1', '', 5_000)])?.user).toBe('b');
    expect(activeSession([session('a', 'tty1', '', 1_000), session('b', 'pts/1', '10.1.1.1', 5_000)])?.user).toBe('a');
  });

  it('knows nobody when every session is remote, or none is open', () => {
    expect(activeSession([session('x', 'pts/0', '203.0.113.7')])).toBeUndefined();
    expect(activeSession([])).toBeUndefined();
    expect(activeSession([session('y'.repeat(300), ':0')])).toBeUndefined();
  });
});

describe('activeSessionUser', () => {
  it('answers the pseudonym, never the clear name', async () => {
    const user = activeSessionUser(() => Promise.resolve([session('nurse1', ':0')]), pseudonym);
    expect(await user()).toBe(pseudonym('nurse1'));
  });

  it("answers '' when the sessions cannot be read or do not answer in time", async () => {
    expect(await activeSessionUser(() => Promise.reject(new Error('EACCES')), pseudonym)()).toBe('');
    const never = activeSessionUser(() => new Promise<OpenSession[]>(() => undefined), pseudonym, 20);
    expect(await never()).toBe('');
  });
});
