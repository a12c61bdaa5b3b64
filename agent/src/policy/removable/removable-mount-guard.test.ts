// The guard's decisions with the argv it would run (a recorded runner over a mount table
// it is given), then for real on this machine: a loop device with an ext4 file system
// mounted in a temporary folder stands in for a USB stick (same kernel calls, same
// `mount -o remount,…` commands); skipped, saying why, where loop devices or mount are
// not allowed.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FolderSealer } from '../../protection/sealing/folder-sealer';
import { unsealFile } from '../../protection/sealing/sealed-file';
import { testKek } from '../../protection/sealing/sealing.fixture';
import { ExecCommandRunner } from '../../response/actions/command-runner';
import { readMountTable, type MountEntry } from '../../response/actions/linux/mount-table';
import { RecordingRunner } from '../../response/actions/recording-runner.fixture';
import { RemovableMountGuard } from './removable-mount-guard';
import { MAX_REMOUNTED, RemountLedger } from './remount-ledger';

const entry = (mountPoint: string, dev: string, readOnly = false): MountEntry => ({
  mountPoint,
  dev,
  fsType: 'vfat',
  source: `/dev/${dev}`,
  readOnly,
});

function recorded(table: MountEntry[], fail: string | null = null, record: RemountLedger | null = null) {
  const runner = new RecordingRunner((argv) => {
    if (argv.includes(fail ?? '\0')) return { code: 32, stderr: 'mount: permission denied' };
    // The kernel's answer: the mount now has the asked option.
    const point = argv[3];
    table.forEach((m, i) => {
      if (m.mountPoint === point) table[i] = { ...m, readOnly: argv[2] === 'remount,ro' };
    });
    return {};
  });
  const guard = new RemovableMountGuard({
    mounts: () => table.map((m) => ({ ...m })),
    isRemovable: (m) => m.source.startsWith('/dev/sd'),
    runner,
    sealer: null,
    pollMs: 3_600_000,
    sweepMs: 3_600_000,
    record,
  });
  return { runner, guard };
}

describe('RemovableMountGuard (argv)', () => {
  it('remounts writable removable volumes read-only, new ones at the next check, and puts back only its own', async () => {
    const table = [entry('/', '8:1'), entry('/media/nurse/STICK', 'sdb1'), entry('/media/nurse/CD', 'sdc', true)];
    table[0] = { ...table[0], source: '/dev/nvme0n1p1' };
    const { runner, guard } = recorded(table);
    expect(await guard.configure('read_only', 3)).toEqual({ detail: '1 removable volumes made read-only' });
    expect(runner.calls).toEqual([['mount', '-o', 'remount,ro', '/media/nurse/STICK']]);

    table.push(entry('/media/nurse/NEW', 'sdd1'));
    await guard.checkNow();
    expect(runner.calls.at(-1)).toEqual(['mount', '-o', 'remount,ro', '/media/nurse/NEW']);
    expect(guard.status()).toEqual({ state: 'applied', detail: '2 removable volumes made read-only' });

    // Unplugged and another stick at the same place: not ours to make writable.
    table.splice(
      table.findIndex((m) => m.mountPoint === '/media/nurse/NEW'),
      1,
      entry('/media/nurse/NEW', 'sde1', true),
    );
    expect(await guard.configure('off', 4)).toEqual({ detail: '1 volumes writable again' });
    expect(runner.calls.slice(2)).toEqual([['mount', '-o', 'remount,rw', '/media/nurse/STICK']]);
    expect(guard.status()).toBeNull();
  });

  it('a volume that cannot be remounted fails the apply (the policy rolls back)', async () => {
    const { guard } = recorded([entry('/media/nurse/STICK', 'sdb1')], '/media/nurse/STICK');
    await expect(guard.configure('read_only', 1)).rejects.toThrow(
      'removable volumes could not be made read-only: remount read-only failed: exit 32: mount: permission denied',
    );
  });

  it('after a restart, a new guard over the same record releases only what the old one remounted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ww-remount-ledger-'));
    try {
      const table = [entry('/media/nurse/STICK', 'sdb1'), entry('/media/nurse/CD', 'sdc', true)];
      const first = recorded(table, null, new RemountLedger(dir));
      await first.guard.configure('read_only', 3);
      const ledger = new RemountLedger(dir);
      expect(statSync(ledger.path).mode & 0o777).toBe(0o600);
      expect(ledger.load()).toEqual([{ mountPoint: '/media/nurse/STICK', dev: 'sdb1' }]);

      // Restart while still read_only: nothing released, and the record is kept for later.
      const second = recorded(table, null, new RemountLedger(dir));
      await second.guard.configure('read_only', 3);
      expect(second.runner.calls).toEqual([]);
      // Restart with a policy that dropped read_only: the stick is writable again, the CD stays.
      const third = recorded(table, null, new RemountLedger(dir));
      expect(await third.guard.configure('off', 4)).toEqual({ detail: '1 volumes writable again' });
      expect(third.runner.calls).toEqual([['mount', '-o', 'remount,rw', '/media/nurse/STICK']]);
      expect(new RemountLedger(dir).load()).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a release that fails stays recorded; a remount that fails is not; a damaged record reads empty', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ww-remount-ledger-'));
    try {
      const table = [entry('/media/nurse/STICK', 'sdb1'), entry('/media/nurse/OTHER', 'sdd1')];
      const first = recorded(table, null, new RemountLedger(dir));
      await first.guard.configure('read_only', 1);
      const failing = recorded(table, '/media/nurse/OTHER', new RemountLedger(dir));
      expect(await failing.guard.settle()).toBe(1);
      expect(new RemountLedger(dir).load()).toEqual([{ mountPoint: '/media/nurse/OTHER', dev: 'sdd1' }]);

      const stick = [entry('/media/nurse/NEW', 'sde1')];
      const refused = recorded(stick, '/media/nurse/NEW', new RemountLedger(dir));
      await expect(refused.guard.configure('read_only', 2)).rejects.toThrow('remount read-only failed');
      expect(new RemountLedger(dir).load()).toEqual([{ mountPoint: '/media/nurse/OTHER', dev: 'sdd1' }]);

      writeFileSync(new RemountLedger(dir).path, '{"remounted":[{"mountPoint":"","dev":1}]}');
      expect(new RemountLedger(dir).load()).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it(`more than ${MAX_REMOUNTED} volumes: the rest is not remounted (it could not be put back)`, async () => {
    const table = Array.from({ length: MAX_REMOUNTED + 2 }, (_, i) => entry(`/media/s${i}`, `sd${i}`));
    const { runner, guard } = recorded(table);
    await expect(guard.configure('read_only', 1)).rejects.toThrow(`more than ${MAX_REMOUNTED} removable volumes`);
    expect(runner.calls).toHaveLength(MAX_REMOUNTED);
  });

  it('copies_sealed without a sealer is refused', async () => {
    const { guard } = recorded([]);
    await expect(guard.configure('copies_sealed', 1)).rejects.toThrow('no file sealing on this workstation');
  });
});

/** Why the loop-device test cannot run here, or null when it can. */
function loopUnavailable(): string | null {
  if (process.platform !== 'linux') return 'not Linux';
  if (process.getuid?.() !== 0) return 'needs root for losetup and mount';
  try {
    execFileSync('losetup', ['--version'], { stdio: 'ignore' });
    execFileSync('mkfs.ext4', ['-V'], { stdio: 'ignore' });
  } catch {
    return 'losetup or mkfs.ext4 missing';
  }
  return null;
}

const skipReason = loopUnavailable();
if (skipReason) console.warn(`removable-mount-guard loop test skipped: ${skipReason}`);

describe.skipIf(skipReason !== null)('RemovableMountGuard on a real loop-mounted volume', { timeout: 30_000 }, () => {
  let dir = '';
  let loop = '';
  let mountPoint = '';
  let mounted = false;
  const runner = new ExecCommandRunner();
  const mountinfo = '/proc/self/mountinfo';
  const ours = () => readMountTable(mountinfo).find((m) => m.mountPoint === mountPoint);

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ww-removable-'));
    const image = join(dir, 'stick.img');
    execFileSync('truncate', ['-s', '8M', image]);
    execFileSync('mkfs.ext4', ['-q', '-F', image]);
    loop = execFileSync('losetup', ['-f', '--show', image], { encoding: 'utf8' }).trim();
    mountPoint = join(dir, 'STICK');
    mkdirSync(mountPoint);
    execFileSync('mount', [loop, mountPoint]);
    mounted = true;
  });
  afterAll(() => {
    if (mounted) execFileSync('umount', [mountPoint]);
    if (loop) execFileSync('losetup', ['-d', loop]);
    rmSync(dir, { recursive: true, force: true });
  });

  /** Only the loop device counts as removable: the machine's own disks are never touched. */
  const guardWith = (sealer: FolderSealer | null, record: RemountLedger | null = null) =>
    new RemovableMountGuard({
      mounts: () => readMountTable(mountinfo),
      isRemovable: (m) => m.source === loop,
      runner,
      sealer,
      pollMs: 3_600_000,
      sweepMs: 3_600_000,
      record,
    });

  it('read_only: the volume is remounted read-only (writes fail with EROFS), and writable again after', async () => {
    const guard = guardWith(null);
    expect(ours()?.readOnly).toBe(false);
    expect(await guard.configure('read_only', 1)).toEqual({ detail: '1 removable volumes made read-only' });
    expect(ours()?.readOnly).toBe(true);
    expect(() => writeFileSync(join(mountPoint, 'copy.csv'), 'patient list')).toThrow(/EROFS/);
    await guard.configure('off', 2);
    expect(ours()?.readOnly).toBe(false);
    writeFileSync(join(mountPoint, 'allowed.txt'), 'ok');
    await guard.stop();
  });

  it('read_only then a restart: a new guard over the same state file makes the volume writable once the tier dropped', async () => {
    const dataDir = join(dir, 'data');
    mkdirSync(dataDir, { mode: 0o700 });
    const before = guardWith(null, new RemountLedger(dataDir));
    await before.configure('read_only', 1);
    expect(ours()?.readOnly).toBe(true);
    await before.stop(); // the agent stops; the volume stays read-only

    // Restarted, the policy in force still read_only: it stays read-only.
    const again = guardWith(null, new RemountLedger(dataDir));
    await again.configure('read_only', 1);
    expect(ours()?.readOnly).toBe(true);
    await again.stop();

    // Restarted with no policy (or one without read_only): writable again, file on disk emptied.
    const after = guardWith(null, new RemountLedger(dataDir));
    expect(await after.settle()).toBe(1);
    expect(ours()?.readOnly).toBe(false);
    writeFileSync(join(mountPoint, 'after-restart.txt'), 'ok');
    rmSync(join(mountPoint, 'after-restart.txt'));
    expect(new RemountLedger(dataDir).load()).toEqual([]);

    // A guard that never remounted it does not touch a volume read-only for another reason.
    execFileSync('mount', ['-o', 'remount,ro', mountPoint]);
    expect(await guardWith(null, new RemountLedger(dataDir)).settle()).toBe(0);
    expect(ours()?.readOnly).toBe(true);
    execFileSync('mount', ['-o', 'remount,rw', mountPoint]);
  });

  it('copies_sealed: a file copied onto the volume is sealed by the next sweep and opens with the key', async () => {
    const key = testKek();
    const guard = guardWith(new FolderSealer({ kek: () => Promise.resolve(key.kek), chunkBytes: 1_024 }));
    await guard.configure('copies_sealed', 6);
    writeFileSync(join(mountPoint, 'ward3-discharges.csv'), 'bed,letter\n4,sent\n');
    await guard.checkNow();
    const names = readdirSync(mountPoint)
      .filter((n) => n !== 'lost+found')
      .sort();
    expect(names).toEqual(['allowed.txt.wwsealed', 'ward3-discharges.csv.wwsealed']);
    expect(readFileSync(join(mountPoint, 'ward3-discharges.csv.wwsealed')).includes('bed,letter')).toBe(false);
    const out = join(dir, 'opened.csv');
    const header = await unsealFile(join(mountPoint, 'ward3-discharges.csv.wwsealed'), out, key.unwrap);
    expect(header.policyVersion).toBe(6);
    expect(readFileSync(out, 'utf8')).toBe('bed,letter\n4,sent\n');
    expect(guard.status()).toEqual({ state: 'applied', detail: '2 files on removable volumes sealed' });
    await guard.stop();
  });
});
