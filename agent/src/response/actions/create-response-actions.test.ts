import { describe, expect, it } from 'vitest';
import { createResponseActions } from './create-response-actions';
import { LinuxResponseActions } from './linux/linux-response-actions';
import { MacosResponseActions } from './macos/macos-response-actions';
import { WindowsResponseActions } from './windows/windows-response-actions';

describe('createResponseActions', () => {
  it("picks the platform's implementation", () => {
    expect(createResponseActions({ platform: 'linux' })).toBeInstanceOf(LinuxResponseActions);
    expect(createResponseActions({ platform: 'win32' })).toBeInstanceOf(WindowsResponseActions);
    expect(createResponseActions({ platform: 'darwin' })).toBeInstanceOf(MacosResponseActions);
  });

  it('answers ok:false with a reason on an OS it has nothing for', async () => {
    const outcome = await createResponseActions({ platform: 'aix' }).blockRemovable(60, { dryRun: false });
    expect(outcome).toMatchObject({ ok: false, details: { unsupported: true } });
    expect(outcome.message).toContain('aix');
  });

  it('refuses an undo record of an unknown kind', async () => {
    const outcome = await createResponseActions({ platform: 'linux' }).undo(
      { kind: 'nothing' as 'unlock', data: {}, expiresAtMs: null },
      { dryRun: false },
    );
    expect(outcome.ok).toBe(false);
  });
});
