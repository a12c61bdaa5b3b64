// Live on this machine (as root): a real loop device with a real ext4 file
// system, attached, mounted, unmounted and detached; a tmpfs mounted on a
// temporary folder. Which mount counts as removable is the one injected rule.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DeviceActivity, Event } from '@wardwatch/proto';
import { Severity } from '@wardwatch/proto';
import { afterEach, describe, expect, it } from 'vitest';
import { RecordingSink } from '../collector-test-sink.fixture';
import { DeviceCollector } from './device-collector';
import type { DeviceSnapshot, DeviceSource } from './device-snapshot';
import { SysfsDeviceSource } from './sysfs-device-source';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) {
    try {
      cleanup();
    } catch {
      // already undone by the test
    }
  }
});

const device = (e: Event): DeviceActivity | undefined => (e.detail?.$case === 'device' ? e.detail.value : undefined);
const run = (cmd: string, ...args: string[]) =>
  execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
const canMount = process.platform === 'linux' && process.getuid?.() === 0;

describe.runIf(canMount)('DeviceCollector on live /sys and mountinfo', () => {
  it('reports a loop device connected, mounted (removable: watched), unmounted and disconnected', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ww-dev-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const image = join(dir, 'stick.img');
    const mountPoint = join(dir, 'USB STICK');
    mkdirSync(mountPoint);
    run('truncate', '-s', '8M', image);
    const watched: string[] = [];
    const sink = new RecordingSink();
    let loop = '';
    const collector = new DeviceCollector({
      source: new SysfsDeviceSource(),
      pollMs: 60_000,
      isRemovable: (_mount, dev) => dev !== undefined && `/dev/${dev.name}` === loop,
      removable: { mounted: (p) => watched.push(`+${p}`), unmounted: (p) => watched.push(`-${p}`) },
    });
    await collector.start(sink);
    cleanups.push(() => void collector.stop());
    expect(sink.events).toEqual([]); // what was there at start is the baseline

    loop = run('losetup', '-f', '--show', image);
    cleanups.push(() => run('losetup', '-d', loop));
    await collector.poll();
    expect(sink.events.map(device)).toEqual([
      { action: 'connect', deviceType: 'loop', vendor: '', model: '', serial: '', mountPoint: '' },
    ]);

    run('mkfs.ext4', '-q', loop);
    run('mount', loop, mountPoint);
    cleanups.push(() => run('umount', mountPoint));
    await collector.poll();
    // The rule made this loop device removable: the event says so, as a USB stick's would.
    expect(device(sink.events[1])).toMatchObject({ action: 'mount', deviceType: 'removable-block', mountPoint });
    expect(sink.events[1].severity).toBe(Severity.SEVERITY_LOW); // removable media
    expect(watched).toEqual([`+${mountPoint}`]);

    run('umount', mountPoint);
    run('losetup', '-d', loop);
    await collector.poll();
    expect(sink.events.slice(2).map((e) => device(e)?.action)).toEqual(['unmount', 'disconnect']);
    expect(device(sink.events[2])).toMatchObject({ mountPoint });
    expect(watched).toEqual([`+${mountPoint}`, `-${mountPoint}`]);
    expect(sink.errors).toEqual([]);
  });

  it('reports a tmpfs mounted on a temporary folder, and not as removable', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ww-dev-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const sink = new RecordingSink();
    const watched: string[] = [];
    const collector = new DeviceCollector({
      source: new SysfsDeviceSource(),
      pollMs: 60_000,
      removable: { mounted: (p) => watched.push(p), unmounted: () => undefined },
    });
    await collector.start(sink);
    cleanups.push(() => void collector.stop());
    run('mount', '-t', 'tmpfs', '-o', 'size=1m', 'wwtest', dir);
    cleanups.push(() => run('umount', dir));
    await collector.poll();
    expect(sink.events.map(device)).toEqual([
      { action: 'mount', deviceType: 'tmpfs', vendor: '', model: '', serial: '', mountPoint: dir },
    ]);
    expect(sink.events[0].severity).toBe(Severity.SEVERITY_INFO);
    expect(watched).toEqual([]);
    run('umount', dir);
    await collector.poll();
    expect(device(sink.events[1])).toMatchObject({ action: 'unmount', mountPoint: dir });
  });
});

class ScriptedSource implements DeviceSource {
  readonly name = 'scripted';
  constructor(private readonly snapshots: DeviceSnapshot[]) {}
  snapshot(): Promise<DeviceSnapshot> {
    return Promise.resolve(this.snapshots.length > 1 ? this.snapshots.shift()! : this.snapshots[0]);
  }
  deviceOf(): undefined {
    return undefined;
  }
}

describe('DeviceCollector diffing', () => {
  it('ignores kernel file systems, forwards parse errors, and keeps polling after a failed poll', async () => {
    const sink = new RecordingSink();
    const logs: string[] = [];
    const proc = { mountPoint: '/proc/x', fsType: 'proc', source: 'proc', dev: '0:5' };
    const share = { mountPoint: '/mnt/share', fsType: 'cifs', source: '//srv/ward', dev: '0:60' };
    const source = new ScriptedSource([
      { devices: [], mounts: [] },
      { devices: [], mounts: [proc, share], parseErrors: ['mountinfo line not understood'] },
    ]);
    let fail = false;
    const collector = new DeviceCollector({
      source: {
        name: 'flaky',
        deviceOf: () => undefined,
        snapshot: () => (fail ? Promise.reject(new Error('EIO')) : source.snapshot()),
      },
      pollMs: 60_000,
      log: (_l, m) => logs.push(m),
    });
    await collector.start(sink);
    await collector.poll();
    expect(sink.events.map(device)).toEqual([
      { action: 'mount', deviceType: 'cifs', vendor: '', model: '', serial: '', mountPoint: '/mnt/share' },
    ]);
    expect(sink.errors).toEqual([{ collector: 'devices', reason: 'mountinfo line not understood' }]);
    fail = true;
    await collector.poll();
    expect(collector.stats.pollErrors).toBe(1);
    expect(logs[0]).toContain('poll of flaky failed: EIO');
    await collector.stop();
  });
});
