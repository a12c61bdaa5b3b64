import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ComponentHealthRegistry } from '../../../status/component-health';
import type { ProcessSpawner } from '../../process-spawner';
import { createLoginSource } from './create-login-source';

describe('createLoginSource', () => {
  it("says collector.logins failed, in the command's words, while a reader's command keeps dying", async () => {
    const health = new ComponentHealthRegistry(() => 1_000);
    const spawner: ProcessSpawner = {
      platform: 'win32',
      commandExists: () => true,
      spawn: () =>
        spawn(
          process.execPath,
          [
            '-e',
            "process.stderr.write('Get-WinEvent : Attempted to perform an unauthorized operation.\\n'); setTimeout(() => process.exit(1), 20);",
          ],
          { stdio: ['ignore', 'pipe', 'pipe'] },
        ),
    };
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
