import { describe, expect, it } from 'vitest';
import { localTime, systemInformationSessions } from './utmp-sessions';

describe('utmp sessions', () => {
  it('maps systeminformation users to sessions, with local start time and the remote address', async () => {
    const provider = systemInformationSessions(
      () =>
        Promise.resolve([
          { user: 'nurse.jones', tty: 'pts/0', date: '2026-11-22', time: '10:12', ip: '203.0.113.9', command: 'bash' },
          { user: 'dr.house', tty: 'tty7', date: '2026-11-22', time: '08:00', ip: ':0', command: '' },
          { user: '', tty: 'pts/9', date: '', time: '', ip: '', command: '' },
          { user: 'odd', tty: '', date: 'yesterday', time: 'noon', ip: '', command: '' },
        ]),
      () => 42,
    );
    expect(await provider()).toEqual([
      { user: 'nurse.jones', tty: 'pts/0', from: '203.0.113.9', startMs: new Date(2026, 10, 22, 10, 12).getTime() },
      { user: 'dr.house', tty: 'tty7', from: '', startMs: new Date(2026, 10, 22, 8, 0).getTime() },
      { user: 'odd', tty: '', from: '', startMs: 42 },
    ]);
    expect(localTime('2026-13-99', '10:00')).toBeUndefined();
    expect(localTime('2026-11-22', '25:61')).toBeUndefined();
  });
});
