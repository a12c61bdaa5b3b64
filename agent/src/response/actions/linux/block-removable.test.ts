import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createResponseActions } from '../create-response-actions';
import { readMountTable } from './mount-table';
import { isRoot } from './os-fixture.fixture';
import { makeSysfsTree } from './sysfs-tree.fixture';

/** Loop devices need root and a kernel (and container) that allows them. */
function loopDevicesWork(): boolean {
  if (!isRoot) return false;
  try {
    execFileSync('losetup', ['-f'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const authorized = (sys: string, device: string): string =>
  readFileSync(join(sys, 'bus/usb/devices', device, 'authorized'), 'utf8').trim();

describe.skipIf(!loopDevicesWork())(
  'blockRemovable with a real loop-device volume and a fixture sysfs',
  { timeout: 30_000 },
  () => {
    const work = mkdtempSync(join(tmpdir(), 'ww-removable-'));
    const image = join(work, 'stick.img');
    const mountPoint = join(work, 'USB STICK'); // a space, as volume labels have
    const sys = makeSysfsTree();
    let loop = '';
    let mounted = false;

    beforeAll(() => {
      writeFileSync(image, Buffer.alloc(0));
      execFileSync('truncate', ['-s', '16M', image]);
      loop = execFileSync('losetup', ['-f', '--show', image], { encoding: 'utf8' }).trim();
      execFileSync('mkfs.ext4', ['-q', loop]);
      mkdirSync(mountPoint);
      execFileSync('mount', [loop, mountPoint]);
      mounted = true;
    });

    afterAll(() => {
      if (mounted) execFileSync('umount', ['-l', mountPoint], { stdio: 'ignore' });
      if (loop) execFileSync('losetup', ['-d', loop], { stdio: 'ignore' });
      rmSync(work, { recursive: true, force: true });
      rmSync(sys, { recursive: true, force: true });
    });

    // The loop device stands for a stick: only it is "removable" here, so nothing else on the machine is touched.
    const actions = () =>
      createResponseActions({ platform: 'linux', sysRoot: sys, isRemovableMount: (m) => m.mountPoint === mountPoint });
    const ourMount = () => readMountTable('/proc/self/mountinfo').find((m) => m.mountPoint === mountPoint);
    const tryWrite = (): string => {
      try {
        writeFileSync(join(mountPoint, 'probe.txt'), 'x');
        return 'ok';
      } catch (error) {
        return (error as NodeJS.ErrnoException).code ?? 'error';
      }
    };

    it('dry run plans the remount and the deauthorisation and changes nothing', async () => {
      const outcome = await actions().blockRemovable(600, { dryRun: true });
      expect(outcome).toMatchObject({ ok: true, details: { dryRun: true } });
      expect(outcome.details.plan).toEqual([
        ['mount', '-o', 'remount,ro', mountPoint],
        `write 0 to ${sys}/bus/usb/devices/1-1/authorized`,
      ]);
      expect(ourMount()?.readOnly).toBe(false);
      expect(authorized(sys, '1-1')).toBe('1');
      expect(tryWrite()).toBe('ok');
    });

    it('remounts the volume read-only (writes fail with EROFS), deauthorises USB storage; undo puts both back', async () => {
      const start = Date.now();
      const outcome = await actions().blockRemovable(600, { dryRun: false });
      expect(outcome).toMatchObject({ ok: true, details: { mountsReadOnly: 1, usbDeauthorised: 1 } });
      expect(ourMount()?.readOnly).toBe(true);
      expect(tryWrite()).toBe('EROFS');
      expect(authorized(sys, '1-1')).toBe('0');
      expect(authorized(sys, '1-2')).toBe('1'); // the keyboard stays
      expect(outcome.undo?.kind).toBe('unblock_removable');
      expect(outcome.undo!.expiresAtMs).toBeGreaterThanOrEqual(start + 600_000);
      expect(JSON.parse(outcome.undo!.data.mounts as string)).toEqual([{ mountPoint, dev: ourMount()!.dev }]);

      const undoPlan = await actions().undo(outcome.undo!, { dryRun: true });
      expect(undoPlan.details.plan).toEqual([
        ['mount', '-o', 'remount,rw', mountPoint],
        `write 1 to ${sys}/bus/usb/devices/1-1/authorized`,
      ]);
      expect(tryWrite()).toBe('EROFS');

      const undone = await actions().undo(outcome.undo!, { dryRun: false });
      expect(undone).toMatchObject({ ok: true, details: { remounted: 1, authorised: 1 } });
      expect(ourMount()?.readOnly).toBe(false);
      expect(tryWrite()).toBe('ok');
      expect(authorized(sys, '1-1')).toBe('1');
    });

    it('with nothing removable present it changes nothing and leaves no undo', async () => {
      const none = createResponseActions({
        platform: 'linux',
        sysRoot: join(sys, 'nowhere'),
        isRemovableMount: () => false,
      });
      const outcome = await none.blockRemovable(600, { dryRun: false });
      expect(outcome).toMatchObject({ ok: true, details: { mountsReadOnly: 0, usbDeauthorised: 0 } });
      expect(outcome.undo).toBeUndefined();
    });
  },
);
