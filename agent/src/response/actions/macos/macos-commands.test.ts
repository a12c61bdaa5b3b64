import { describe, expect, it } from 'vitest';
import { createResponseActions } from '../create-response-actions';
import { RecordingRunner } from '../recording-runner.fixture';
import {
  bootoutArgv,
  disableUserArgv,
  displaySleepArgv,
  enableUserArgv,
  killArgv,
  mountReadOnlyArgv,
  parseExternalDisks,
  parsePsTable,
  processTableArgv,
  unmountDiskArgv,
} from './macos-commands';

const DISKUTIL = [
  '/dev/disk4 (external, physical):',
  '   #:                       TYPE NAME                    SIZE       IDENTIFIER',
  '   0:     FDisk_partition_scheme                        *16.0 GB    disk4',
  '   1:                 DOS_FAT_32 WARD STICK              16.0 GB    disk4s1',
  '',
].join('\n');

describe('macOS argv builders', () => {
  it('build exactly these argv arrays', () => {
    expect(bootoutArgv(501)).toEqual(['launchctl', 'bootout', 'gui/501']);
    expect(displaySleepArgv()).toEqual(['pmset', 'displaysleepnow']);
    expect(processTableArgv()).toEqual(['ps', '-axo', 'pid=,ppid=']);
    expect(killArgv('KILL', [10, 11])).toEqual(['kill', '-KILL', '10', '11']);
    expect(disableUserArgv('nurse')).toEqual([
      'dscl',
      '.',
      '-append',
      '/Users/nurse',
      'AuthenticationAuthority',
      ';DisabledUser;',
    ]);
    expect(enableUserArgv('nurse')).toEqual([
      'dscl',
      '.',
      '-delete',
      '/Users/nurse',
      'AuthenticationAuthority',
      ';DisabledUser;',
    ]);
    expect(unmountDiskArgv('disk4')).toEqual(['diskutil', 'unmountDisk', 'disk4']);
    expect(mountReadOnlyArgv('disk4s1')).toEqual(['diskutil', 'mount', 'readOnly', 'disk4s1']);
  });

  it('keep a name with spaces or quotes as one item and refuse option-like or path-like values', () => {
    expect(disableUserArgv("Dr O'Brien")[3]).toBe("/Users/Dr O'Brien");
    for (const bad of ['-x', '../root', 'a/b', '']) expect(() => disableUserArgv(bad), bad).toThrow();
    expect(() => unmountDiskArgv('-force')).toThrow();
    expect(() => killArgv('KILL', [1])).toThrow();
    expect(() => bootoutArgv(-1)).toThrow();
  });

  it('parse ps and diskutil output', () => {
    expect(parsePsTable('  1   0\n 50   1\nbad\n 51  50\n')).toEqual([
      { pid: 1, ppid: 0 },
      { pid: 50, ppid: 1 },
      { pid: 51, ppid: 50 },
    ]);
    expect(parseExternalDisks(DISKUTIL)).toEqual([{ disk: 'disk4', volumes: ['disk4s1'] }]);
  });
});

describe('MacosResponseActions through the command runner', () => {
  it('kills a tree: ps, STOP the tree, ps again, KILL all (with a child born meanwhile)', async () => {
    let ps = 0;
    const runner = new RecordingRunner((argv) =>
      argv[0] === 'ps' ? { stdout: ++ps === 1 ? '1 0\n50 1\n51 50\n60 1\n' : '1 0\n50 1\n51 50\n52 51\n60 1\n' } : {},
    );
    const actions = createResponseActions({ platform: 'darwin', runner });
    const outcome = await actions.killProcessTree([{ pid: 50, startTime: 0 }], { dryRun: false });
    expect(outcome.ok).toBe(true);
    expect(runner.calls).toEqual([
      processTableArgv(),
      ['kill', '-STOP', '50', '51'],
      processTableArgv(),
      ['kill', '-KILL', '50', '51', '52'],
    ]);
  });

  it('disables with dscl -append and undoes with -delete; refuses root; bootout by uid', async () => {
    const runner = new RecordingRunner();
    const actions = createResponseActions({ platform: 'darwin', runner });
    const outcome = await actions.disableAccount({ name: 'nurse', uid: 501 }, 60, { dryRun: false });
    await actions.undo(outcome.undo!, { dryRun: false });
    await actions.revokeSession({ account: { name: 'nurse', uid: 501 } }, { dryRun: false });
    expect(runner.calls).toEqual([disableUserArgv('nurse'), enableUserArgv('nurse'), bootoutArgv(501)]);
    expect((await actions.disableAccount({ name: 'root', uid: 0 }, 60, { dryRun: false })).ok).toBe(false);
    expect((await actions.disableAccount({ name: 'a/b', uid: 502 }, 60, { dryRun: false })).ok).toBe(false);
    expect((await actions.revokeSession({ sessionId: '3' }, { dryRun: false })).ok).toBe(false);
  });

  it('makes external disks read-only: unmountDisk, then mount readOnly each volume', async () => {
    const runner = new RecordingRunner((argv) => (argv[1] === 'list' ? { stdout: DISKUTIL } : {}));
    const actions = createResponseActions({ platform: 'darwin', runner });
    const outcome = await actions.blockRemovable(60, { dryRun: false });
    expect(outcome.undo?.data).toEqual({ macDisks: 'disk4' });
    expect(runner.calls.slice(1)).toEqual([unmountDiskArgv('disk4'), mountReadOnlyArgv('disk4s1')]);
  });
});
