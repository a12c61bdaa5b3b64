import { describe, expect, it } from 'vitest';
import { ComponentHealthRegistry } from '../../../status/component-health';
import { dyingSpawner } from '../../printing-spawner.fixture';
import { createLoginSource } from './create-login-source';

describe('createLoginSource', () => {
  it("says collector.logins failed, in the command's words, while a reader's command keeps dying", async () => {
    const health = new ComponentHealthRegistry(() => 1_000);
    const complaint = 'Get-WinEvent : Attempted to perform an unauthorized operation.';
    const spawner = dyingSpawner('win32', complaint, 1);
    const source = createLoginSource('windows-security', { spawner, authLog: null, health })!;
    await source.start({ result: () => {}, log: () => {} });
    try {
      for (let i = 0; i < 200 && health.list().length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    } finally {
      await source.stop();
    }
    expect(health.list()).toEqual([
      {
        name: 'collector.logins',
        state: 'failed',
        message:
          'powershell.exe exited (code 1, signal none): Get-WinEvent : Attempted to perform an unauthorized operation.; restarting',
        sinceMs: 1_000,
      },
    ]);
  });
});
