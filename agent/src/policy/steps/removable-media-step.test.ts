// The removable-media step with the guard (read_only, copies_sealed): what it reports and
// what it hands back to undo, over a recorded `mount` and a mount table held here.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_POLICY, type TierSettings } from '@wardwatch/shared';
import { describe, expect, it } from 'vitest';
import type { MountEntry } from '../../response/actions/linux/mount-table';
import { RecordingRunner } from '../../response/actions/recording-runner.fixture';
import { RemovableMountGuard } from '../removable/removable-mount-guard';
import { RemovableMediaStep } from './removable-media-step';

const tier = (removableMedia: TierSettings['removableMedia']): TierSettings => ({
  ...structuredClone(DEFAULT_POLICY.tiers[0].settings),
  removableMedia,
});

function sut() {
  const table: MountEntry[] = [
    { mountPoint: '/media/nurse/STICK', dev: '8:17', fsType: 'vfat', source: '/dev/sdb1', readOnly: false },
  ];
  const runner = new RecordingRunner((argv) => {
    table[0] = { ...table[0], readOnly: argv[2] === 'remount,ro' };
    return {};
  });
  const guard = new RemovableMountGuard({
    mounts: () => table.map((m) => ({ ...m })),
    isRemovable: () => true,
    runner,
    sealer: null,
    pollMs: 3_600_000,
    sweepMs: 3_600_000,
  });
  const step = new RemovableMediaStep(null, mkdtempSync(join(tmpdir(), 'ww-removable-step-')), guard);
  return { table, runner, guard, step };
}

describe('RemovableMediaStep with the mount guard', () => {
  it('read_only is applied by remounting, and its undo makes the volume writable again', async () => {
    const t = sut();
    const applied = await t.step.apply(tier('read_only'), tier('allowed'), { policyVersion: 2 });
    expect(applied.outcome).toEqual({ state: 'applied', detail: 'read_only: 1 removable volumes made read-only' });
    expect(t.table[0].readOnly).toBe(true);
    expect(t.step.status()).toEqual({ state: 'applied', detail: '1 removable volumes made read-only' });
    await applied.undo();
    expect(t.runner.calls).toEqual([
      ['mount', '-o', 'remount,ro', '/media/nurse/STICK'],
      ['mount', '-o', 'remount,rw', '/media/nurse/STICK'],
    ]);
    expect(t.table[0].readOnly).toBe(false);
    await t.guard.stop();
  });

  it('a drop to allowed releases the volume; copies_sealed without sealing fails the step; blocked stays not enforced without actions', async () => {
    const t = sut();
    await t.step.apply(tier('read_only'), null, { policyVersion: 1 });
    const allowed = await t.step.apply(tier('allowed'), tier('read_only'), { policyVersion: 1 });
    expect(allowed.outcome).toEqual({ state: 'applied', detail: 'allowed' });
    expect(t.table[0].readOnly).toBe(false);
    await expect(t.step.apply(tier('copies_sealed'), tier('allowed'), { policyVersion: 1 })).rejects.toThrow(
      'no file sealing on this workstation',
    );
    const blocked = await t.step.apply(tier('blocked'), tier('allowed'), { policyVersion: 1 });
    expect(blocked.outcome.state).toBe('not_enforced');
    await t.guard.stop();
  });
});
