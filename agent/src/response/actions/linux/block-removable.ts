// Blocks writes to removable media present now, in this order:
//  1. every writable mount of a removable device is remounted read-only
//     (`mount -o remount,ro`), which also flushes what was written so far;
//  2. every USB device with a mass-storage interface is deauthorised (sysfs `authorized`
//     = 0): its drivers let go, so it cannot be mounted again, read-write or not.
// Remounting first so the file system is clean when its device goes. A composite USB
// device (storage + keyboard in one) loses its other functions too until undone.
// Media plugged in later are not covered by this call: the response core runs it again
// when the device collector reports one (the action is idempotent).
import { describeFailure } from '../command-runner';
import { expiry, planned, refused } from '../outcome';
import type { ActionOptions, ActionOutcome, UndoRecord } from '../response-actions';
import type { LinuxDeps } from './linux-deps';
import { type MountEntry, readMountTable } from './mount-table';
import { isRemovableBySysfs, setUsbAuthorized, usbAuthorized, usbMassStorageDevices } from './removable-sysfs';

interface ChangedMount {
  mountPoint: string;
  dev: string;
}

export async function blockRemovable(
  deps: LinuxDeps,
  durationSeconds: number,
  options: ActionOptions,
): Promise<ActionOutcome> {
  const isRemovable = deps.isRemovableMount ?? ((m: MountEntry) => isRemovableBySysfs(deps.sysRoot, m));
  const seen = new Set<string>();
  const mounts = readMountTable(deps.mountinfoPath).filter((m) => {
    if (m.readOnly || seen.has(m.mountPoint) || !isRemovable(m)) return false;
    seen.add(m.mountPoint);
    return true;
  });
  const usb = usbMassStorageDevices(deps.sysRoot).filter((d) => usbAuthorized(deps.sysRoot, d) === '1');
  if (options.dryRun)
    return planned(`would make ${mounts.length} mounts read-only and deauthorise ${usb.length} USB storage devices`, [
      ...mounts.map((m) => ['mount', '-o', 'remount,ro', m.mountPoint]),
      ...usb.map((d) => `write 0 to ${deps.sysRoot}/bus/usb/devices/${d}/authorized`),
    ]);

  const changedMounts: ChangedMount[] = [];
  const failures: string[] = [];
  for (const m of mounts) {
    const result = await deps.runner.run('mount', ['-o', 'remount,ro', m.mountPoint]);
    if (result.code === 0) changedMounts.push({ mountPoint: m.mountPoint, dev: m.dev });
    else failures.push(`remount read-only failed: ${describeFailure(result)}`);
  }
  const changedUsb: string[] = [];
  for (const device of usb) {
    try {
      setUsbAuthorized(deps.sysRoot, device, '0');
      changedUsb.push(device);
    } catch (error) {
      failures.push(`USB deauthorise failed: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
    }
  }
  const details = { mountsReadOnly: changedMounts.length, usbDeauthorised: changedUsb.length, failures };
  const changed = changedMounts.length + changedUsb.length > 0;
  const undo: UndoRecord | undefined = changed
    ? {
        kind: 'unblock_removable',
        data: { mounts: JSON.stringify(changedMounts), usbDevices: JSON.stringify(changedUsb) },
        expiresAtMs: expiry(deps.clock.nowMs(), durationSeconds),
      }
    : undefined;
  const message =
    failures.length > 0
      ? `removable media partly blocked: ${failures[0]}`
      : changed
        ? `removable media blocked: ${changedMounts.length} volumes read-only, ${changedUsb.length} USB storage devices deauthorised`
        : 'no removable media present to block';
  return { ok: failures.length === 0, message, details, ...(undo ? { undo } : {}) };
}

export async function unblockRemovable(
  deps: LinuxDeps,
  record: UndoRecord,
  options: ActionOptions,
): Promise<ActionOutcome> {
  const mounts = parseList(record.data.mounts, isChangedMount);
  const usb = parseList(record.data.usbDevices, (v): v is string => typeof v === 'string' && /^\d+-[\d.]+$/.test(v));
  if (!mounts || !usb) return refused('undo record not understood');
  const current = readMountTable(deps.mountinfoPath);
  // Only a mount still there, of the same device and still read-only, is ours to put back.
  const toRemount = mounts.filter((m) =>
    current.some((c) => c.mountPoint === m.mountPoint && c.dev === m.dev && c.readOnly),
  );
  const toAuthorise = usb.filter((d) => usbAuthorized(deps.sysRoot, d) === '0');
  if (options.dryRun)
    return planned('would unblock removable media', [
      ...toRemount.map((m) => ['mount', '-o', 'remount,rw', m.mountPoint]),
      ...toAuthorise.map((d) => `write 1 to ${deps.sysRoot}/bus/usb/devices/${d}/authorized`),
    ]);
  const failures: string[] = [];
  let remounted = 0;
  for (const m of toRemount) {
    const result = await deps.runner.run('mount', ['-o', 'remount,rw', m.mountPoint]);
    if (result.code === 0) remounted += 1;
    else failures.push(`remount read-write failed: ${describeFailure(result)}`);
  }
  let authorised = 0;
  for (const device of toAuthorise) {
    try {
      setUsbAuthorized(deps.sysRoot, device, '1');
      authorised += 1;
    } catch (error) {
      failures.push(`USB authorise failed: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
    }
  }
  const details = {
    remounted,
    authorised,
    gone: mounts.length - toRemount.length + usb.length - toAuthorise.length,
    failures,
  };
  return {
    ok: failures.length === 0,
    message: failures.length
      ? `unblock partly failed: ${failures[0]}`
      : `removable media unblocked: ${remounted} volumes, ${authorised} USB devices`,
    details,
  };
}

function isChangedMount(v: unknown): v is ChangedMount {
  const m = v as ChangedMount;
  return (
    typeof m === 'object' &&
    m !== null &&
    typeof m.mountPoint === 'string' &&
    m.mountPoint.startsWith('/') &&
    typeof m.dev === 'string'
  );
}

function parseList<T>(value: unknown, check: (v: unknown) => v is T): T[] | undefined {
  if (value === undefined) return [];
  if (typeof value !== 'string') return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) && parsed.every(check) ? parsed : undefined;
  } catch {
    return undefined;
  }
}
