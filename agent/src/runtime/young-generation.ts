// Imported first by the CLI, before the agent's modules load: V8's young generation
// stays at its initial size (1 MB per semi-space) while the agent is quiet.
//
// Why: V8 doubles the young generation whenever enough objects survive its
// scavenges, up to 16 MB per semi-space (about 32 MB of RSS), and gives it back
// only in a memory-reducing collection, which an agent that wakes every second
// rarely gets: the same idle agent sat at 80 MB or at 110 MB depending on whether
// that had happened yet. The growth factor is read each time V8 would grow the
// space, so setting it at run time works (unlike --max-semi-space-size, fixed when
// the heap is made; an agent is started as `node main.js`, without flags).
//
// Under load a 1 MB young generation means many small scavenges: a quarter of the
// agent's CPU went to the garbage collector at 450–550 events/s. So the governor
// below lets it grow while scavenges are frequent and, once the load has been over
// for a while, sets it back and collects until V8 has shrunk it (V8 shrinks the
// young generation in a full collection when little is being allocated).
import { PerformanceObserver, constants } from 'node:perf_hooks';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export const QUIET_YOUNG_GENERATION = '--semi-space-growth-factor=1';
export const BUSY_YOUNG_GENERATION = '--semi-space-growth-factor=2';

setFlagsFromString(QUIET_YOUNG_GENERATION);

/** What the governor touches in V8. */
export interface YoungGenerationPort {
  setFlag(flag: string): void;
  /** A full, synchronous collection. */
  collect(): void;
  newSpaceBytes(): number;
}

export interface GovernorOptions {
  /** Scavenges per second from which the load counts as busy. */
  busyScavengesPerSecond: number;
  /** Quiet time after a load before the young generation is given back. */
  quietMs: number;
  /** The size (bytes) at which the young generation counts as given back. */
  initialNewSpaceBytes: number;
  /** Collections tried per quiet period before waiting for the next one. */
  maxCollections: number;
}

export const DEFAULT_GOVERNOR: GovernorOptions = {
  busyScavengesPerSecond: 4,
  quietMs: 20_000,
  initialNewSpaceBytes: 2 * 1_048_576,
  maxCollections: 3,
};

/** Decides, tick by tick, from the scavenges V8 reported, whether the young generation may grow. */
export class YoungGenerationGovernor {
  private busy = false;
  private quietSince = 0;
  private collections = 0;

  constructor(
    private readonly v8: YoungGenerationPort,
    private readonly options: GovernorOptions = DEFAULT_GOVERNOR,
  ) {}

  /** One tick: `scavenges` seen over the last `elapsedMs`, at time `now`. */
  tick(scavenges: number, elapsedMs: number, now: number): void {
    if (scavenges / (elapsedMs / 1_000) >= this.options.busyScavengesPerSecond) {
      if (!this.busy) this.v8.setFlag(BUSY_YOUNG_GENERATION);
      this.busy = true;
      this.quietSince = now;
      this.collections = 0;
      return;
    }
    if (this.busy) {
      this.v8.setFlag(QUIET_YOUNG_GENERATION);
      this.busy = false;
      this.quietSince = now;
    }
    const grown = this.v8.newSpaceBytes() > this.options.initialNewSpaceBytes;
    if (grown && now - this.quietSince >= this.options.quietMs && this.collections < this.options.maxCollections) {
      this.collections++;
      this.v8.collect();
    }
  }
}

/** V8 itself: flags, a full collection (through the gc extension), the new space's size. */
export class NodeYoungGeneration implements YoungGenerationPort {
  private gc: (() => void) | undefined;

  setFlag(flag: string): void {
    setFlagsFromString(flag);
  }

  collect(): void {
    if (!this.gc) {
      setFlagsFromString('--expose-gc');
      this.gc = runInNewContext('gc') as () => void;
    }
    this.gc();
  }

  newSpaceBytes(): number {
    return getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')?.space_size ?? 0;
  }
}

const nodeV8 = new NodeYoungGeneration();

/** One full, synchronous collection now. */
export function collectGarbage(): void {
  nodeV8.collect();
}

/** Runs the governor every `intervalMs` on V8's own scavenge count; returns the stop. */
export function governYoungGeneration(
  intervalMs = 5_000,
  governor = new YoungGenerationGovernor(new NodeYoungGeneration()),
): () => void {
  let scavenges = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries())
      if ((entry as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR) scavenges++;
  });
  observer.observe({ entryTypes: ['gc'] });
  let last = Date.now();
  const timer = setInterval(() => {
    const now = Date.now();
    governor.tick(scavenges, now - last, now);
    scavenges = 0;
    last = now;
  }, intervalMs);
  timer.unref();
  return () => {
    clearInterval(timer);
    observer.disconnect();
  };
}
