// restore_files end to end inside the agent: a signed command (or IT staff at the tray,
// with a maintenance code) → ResponseService → the real version store on real files.
import { existsSync, mkdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CommandOutcome } from '@wardwatch/proto';
import { ResponseControlError, RestoreFilesReport } from '@wardwatch/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { VersionProtection } from '../protection/versions/version-protection';
import { quietLogger } from '../protection/versions/version-store.fixture';
import { buildResponseService } from './response-service.fixture';
import { makeCommandKey, maintenanceCode, payloadOf, signCommand, tempDataDir } from './response-test-kit.fixture';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const done of cleanup.splice(0).reverse()) await done();
});

/** Two files copied, then one overwritten, one deleted and a `.locked` note created. */
async function attackedWorkstation() {
  const dir = tempDataDir();
  const phi = join(dir, 'phi');
  mkdirSync(phi);
  writeFileSync(join(phi, 'a.pdf'), 'discharge letter');
  writeFileSync(join(phi, 'b.pdf'), 'lab results');
  const versions = await VersionProtection.open({
    dataDir: join(dir, 'agent'),
    folders: [{ path: phi, class: 'phi' }],
    settings: { folderClasses: ['phi'], quietMinutes: 10, maxMb: 64, maxDiskShare: 0.5, maxFileMb: 8 },
    logger: quietLogger(),
  });
  versions.start();
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  cleanup.push(() => versions.stop());
  await waitFor(() => versions.stats().versions === 2);
  await new Promise((resolve) => setTimeout(resolve, 20));
  const since = Date.now();
  await new Promise((resolve) => setTimeout(resolve, 20));
  writeFileSync(join(phi, 'a.pdf'), 'garbage');
  unlinkSync(join(phi, 'b.pdf'));
  writeFileSync(join(phi, 'RECOVER.locked'), 'pay');
  versions.observe('create', join(phi, 'RECOVER.locked'));
  const built = buildResponseService({ restorer: versions });
  cleanup.push(() => built.service.stop());
  return { ...built, phi, since };
}

const restore = (since: number, extra: Partial<{ folderClass: string; dryRun: boolean }> = {}) =>
  payloadOf({
    automatic: false,
    dryRun: extra.dryRun ?? false,
    action: {
      $case: 'restoreFiles',
      value: { folderClass: extra.folderClass ?? 'phi', sinceMs: since, removeCreatedExtensions: ['.locked'] },
    },
  });

describe('ResponseService: restore_files', () => {
  it('restores the changed files for a signed command and reports the counts', async () => {
    const { service, key, phi, since, resultsOf } = await attackedWorkstation();
    const payload = restore(since);
    await service.handleSignedCommand(signCommand(key, payload));
    expect(readFileSync(join(phi, 'a.pdf'), 'utf8')).toBe('discharge letter');
    expect(readFileSync(join(phi, 'b.pdf'), 'utf8')).toBe('lab results');
    expect(existsSync(join(phi, 'RECOVER.locked'))).toBe(false);
    const [result] = resultsOf(payload.commandId);
    expect(result).toMatchObject({ outcome: CommandOutcome.COMMAND_OUTCOME_DONE, ok: true });
    expect(result.message).toBe('restored 2 of 2 changed files; removed 1 new files of the attack');
    expect(JSON.parse(result.detailsJson)).toMatchObject({ changed: 2, restored: 2, removed: 1 });
    expect(service.status().actions[0]).toMatchObject({ kind: 'restore_files', state: 'done' });
  });

  it('changes nothing in a dry run, and fails for a class with no protected folder', async () => {
    const { service, key, phi, since, resultsOf } = await attackedWorkstation();
    const dry = restore(since, { dryRun: true });
    await service.handleSignedCommand(signCommand(key, dry));
    expect(resultsOf(dry.commandId)[0]).toMatchObject({ outcome: CommandOutcome.COMMAND_OUTCOME_DRY_RUN });
    expect(existsSync(join(phi, 'b.pdf'))).toBe(false);
    const other = restore(since, { folderClass: 'other' });
    await service.handleSignedCommand(signCommand(key, other));
    expect(resultsOf(other.commandId)[0]).toMatchObject({
      outcome: CommandOutcome.COMMAND_OUTCOME_FAILED,
      message: 'no protected folder of class other',
    });
  });

  it('fails the command where there is no version store', async () => {
    const { service, key, resultsOf } = buildResponseService();
    cleanup.push(() => service.stop());
    const payload = restore(Date.now() - 1_000);
    await service.handleSignedCommand(signCommand(key, payload));
    expect(resultsOf(payload.commandId)[0]).toMatchObject({
      outcome: CommandOutcome.COMMAND_OUTCOME_FAILED,
      message: 'no version store on this workstation',
    });
  });

  it('lets IT staff restore at the tray with a maintenance code, once per code, and reports it to the manager', async () => {
    const { service, key, phi, since, localActions } = await attackedWorkstation();
    const code = maintenanceCode(key);
    const asked = {
      folder: phi,
      since,
      removeCreatedExtensions: ['.locked'],
      dryRun: false,
      reason: 'ransomware stopped on this PC',
      code,
    };
    await expect(service.restoreFiles({ ...asked, code: maintenanceCode(makeCommandKey()) })).rejects.toBeInstanceOf(
      ResponseControlError,
    );
    expect(existsSync(join(phi, 'b.pdf'))).toBe(false);
    const report = await service.restoreFiles(asked);
    expect(RestoreFilesReport.parse(report)).toMatchObject({ changed: 2, restored: 2, removed: 1, dryRun: false });
    expect(readFileSync(join(phi, 'b.pdf'), 'utf8')).toBe('lab results');
    const [local] = localActions().filter((a) => a.kind === 'restore_files');
    expect(local.reason).toContain('restored 2 of 2 changed files');
    expect(local.reason).not.toContain(phi);
    await expect(service.restoreFiles(asked)).rejects.toMatchObject({ status: 403 });
    await expect(service.restoreFiles({ ...asked, folder: '/etc', code: maintenanceCode(key) })).rejects.toMatchObject({
      status: 400,
      message: 'that folder is not protected',
    });
  });
});

async function waitFor(check: () => boolean): Promise<void> {
  const until = Date.now() + 5_000;
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
