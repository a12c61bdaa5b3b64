import { describe, expect, it } from 'vitest';
import { ComponentHealthRegistry } from '../../../status/component-health';
import { dyingSpawner, healthOnceReported } from '../../printing-spawner.fixture';
import { createLoginSource } from './create-login-source';

describe('createLoginSource', () => {
  it("says collector.logins failed, in the command's words, while a reader's command keeps dying", async () => {
    const health = new ComponentHealthRegistry(() => 1_000);
    const complaint = 'Get-WinEvent : Attempted to perform an unauthorized operation.';
    const spawner = dyingSpawner('win32', complaint, 1);
    const source = createLoginSource('windows-security', { spawner, authLog: null, health })!;
    const handlers = { result: () => {}, log: () => {} };
    const reported = await healthOnceReported(health, {
      start: () => source.start(handlers),
      stop: () => source.stop(),
    });
    expect(reported).toEqual([
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
