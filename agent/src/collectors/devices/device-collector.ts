// Removable storage and mounts: polls a DeviceSource and reports what changed —
// a block device connected or disconnected, a file system mounted or unmounted.
// What is present at start is the baseline, not news. A removable volume
// (or any mount the `isRemovable` rule picks) is handed to `removable.mounted`
// while it is mounted — the registry has the file collector watch it as folder
// class 'removable', so writes to it become file events.
import { randomUUID } from 'node:crypto';
import { type DeviceActivity, type Event, Severity } from '@wardwatch/proto';
import type { Collector, EventSink } from '../collector';
import {
  type BlockDevice,
  type DeviceSource,
  type Mount,
  PSEUDO_FILE_SYSTEMS,
  REMOVABLE_DEVICE_TYPES,
} from './device-snapshot';
import { PollTimer, timedPoll, type PollPace, type PollStats } from '../poll-loop';

export const COLLECTOR_NAME = 'devices';

export type RemovableRule = (mount: Mount, device: BlockDevice | undefined) => boolean;

/** Removable when the backing disk says so (removable flag, USB bus). */
export const removableByDevice: RemovableRule = (_mount, device) => device?.removable === true;

export interface RemovableMountListener {
  mounted(mountPoint: string): void;
  unmounted(mountPoint: string): void;
}

export interface DeviceCollectorOptions {
  source: DeviceSource;
  pollMs: number;
  /** Stretches the wait between polls while the agent is throttled (the watchdog's LoadSignal). */
  pace?: PollPace;
  isRemovable?: RemovableRule;
  removable?: RemovableMountListener;
  now?: () => number;
  newId?: () => string;
  log?: (level: 'info' | 'warn', message: string) => void;
}

export interface DeviceCollectorStats extends PollStats {
  events: number;
}

interface SeenMount {
  mount: Mount;
  device: BlockDevice | undefined;
  removable: boolean;
}

export class DeviceCollector implements Collector {
  readonly name = COLLECTOR_NAME;
  readonly stats: DeviceCollectorStats = { polls: 0, pollErrors: 0, events: 0, lastPollMs: 0 };
  private devices = new Map<string, BlockDevice>();
  private mounts = new Map<string, SeenMount>();
  private sink: EventSink | undefined;
  private readonly timer: PollTimer;
  private readonly isRemovable: RemovableRule;
  private readonly now: () => number;
  private readonly newId: () => string;

  constructor(private readonly options: DeviceCollectorOptions) {
    this.isRemovable = options.isRemovable ?? removableByDevice;
    this.now = options.now ?? Date.now;
    this.newId = options.newId ?? randomUUID;
    this.timer = new PollTimer(options.pollMs, () => this.poll(), options.pace);
  }

  async start(sink: EventSink): Promise<void> {
    if (this.sink) return;
    this.sink = sink;
    await this.poll(true);
    this.timer.start();
  }

  async stop(): Promise<void> {
    this.sink = undefined;
    await this.timer.stop();
    for (const seen of this.mounts.values())
      if (seen.removable) this.options.removable?.unmounted(seen.mount.mountPoint);
    this.mounts.clear();
    this.devices.clear();
  }

  /** One poll; exposed so tests can step without waiting for the timer. */
  async poll(baseline = false): Promise<void> {
    const sink = this.sink;
    if (!sink) return;
    await timedPoll(
      this.stats,
      `${COLLECTOR_NAME}: poll of ${this.options.source.name}`,
      this.options.log,
      async () => {
        const snapshot = await this.options.source.snapshot();
        for (const reason of snapshot.parseErrors ?? []) sink.parseError(COLLECTOR_NAME, reason);
        const devices = new Map(snapshot.devices.map((d) => [deviceKey(d), d]));
        for (const [key, device] of devices)
          if (!this.devices.has(key) && !baseline) this.emit(sink, 'connect', device, '', '', device.removable);

        const mounts = new Map<string, SeenMount>();
        for (const mount of snapshot.mounts) {
          if (PSEUDO_FILE_SYSTEMS.has(mount.fsType)) continue;
          const key = mountKey(mount);
          const known = this.mounts.get(key);
          if (known) {
            mounts.set(key, known);
            continue;
          }
          const device = this.options.source.deviceOf(mount, snapshot.devices);
          const seen = { mount, device, removable: this.isRemovable(mount, device) };
          mounts.set(key, seen);
          if (!baseline) this.emit(sink, 'mount', device, mount.mountPoint, mount.fsType, seen.removable);
          if (seen.removable) this.options.removable?.mounted(mount.mountPoint);
        }
        for (const [key, seen] of this.mounts) {
          if (mounts.has(key)) continue;
          this.emit(sink, 'unmount', seen.device, seen.mount.mountPoint, seen.mount.fsType, seen.removable);
          if (seen.removable) this.options.removable?.unmounted(seen.mount.mountPoint);
        }
        // Disconnects last: a volume is unmounted before its device goes.
        for (const [key, device] of this.devices)
          if (!devices.has(key)) this.emit(sink, 'disconnect', device, '', '', device.removable);
        this.devices = devices;
        this.mounts = mounts;
      },
    );
  }

  private emit(
    sink: EventSink,
    action: 'connect' | 'disconnect' | 'mount' | 'unmount',
    device: BlockDevice | undefined,
    mountPoint: string,
    fsType: string,
    removable: boolean,
  ): void {
    const type = device?.type ?? (fsType || 'unknown');
    const value: DeviceActivity = {
      action,
      // Removable exactly when the agent treats it so (REMOVABLE_DEVICE_TYPES), whatever decided it.
      deviceType: removable === REMOVABLE_DEVICE_TYPES.has(type) ? type : removable ? 'removable-block' : 'block',
      vendor: device?.vendor ?? '',
      model: device?.model ?? '',
      serial: device?.serial ?? '',
      mountPoint,
    };
    this.stats.events += 1;
    sink.emit({
      id: this.newId(),
      timeMs: this.now(),
      sequence: 0, // given by the outbox
      severity: removable ? Severity.SEVERITY_LOW : Severity.SEVERITY_INFO,
      user: '',
      detail: { $case: 'device', value },
    } satisfies Event);
  }
}

function deviceKey(d: BlockDevice): string {
  return `${d.name}\u0000${d.dev}\u0000${d.sizeBytes}\u0000${d.serial}`;
}

function mountKey(m: Mount): string {
  return `${m.mountPoint}\u0000${m.dev}\u0000${m.source}\u0000${m.fsType}`;
}
