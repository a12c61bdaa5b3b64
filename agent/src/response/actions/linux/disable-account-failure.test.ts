import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createResponseActions } from '../create-response-actions';
import { RecordingRunner } from '../recording-runner.fixture';

// usermod failing (an account held by a directory service, a busy lock file): the outcome
// says so without the account's name, and leaves no undo record behind.
describe('disableAccount when usermod fails', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ww-accounts-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'passwd'), 'root:x:0:0::/root:/bin/sh\nmaria.lopez:x:1201:1201::/home/m:/bin/sh\n');
  writeFileSync(join(dir, 'shadow'), 'root:*:20000:0:99999:7:::\nmaria.lopez:$y$hash:20000:0:99999:7:::\n');

  it('answers ok:false, the name taken out of the message', async () => {
    const runner = new RecordingRunner(() => ({
      code: 8,
      stderr: 'usermod: user maria.lopez is currently used by process 77\n',
    }));
    const actions = createResponseActions({
      platform: 'linux',
      runner,
      passwdPath: join(dir, 'passwd'),
      shadowPath: join(dir, 'shadow'),
    });
    const outcome = await actions.disableAccount({ name: 'maria.lopez', uid: 1201 }, 60, { dryRun: false });
    expect(outcome.ok).toBe(false);
    expect(outcome.message).toBe('usermod failed: exit 8: usermod: user <account> is currently used by process 77');
    expect(outcome.undo).toBeUndefined();
    expect(runner.calls).toEqual([['usermod', '-L', '--expiredate', '1', '--', 'maria.lopez']]);
  });
});
