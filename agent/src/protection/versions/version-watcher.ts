// Decides when the version store copies a protected file, without ever making the
// file collector wait. The collector's events (clear paths, before pseudonymisation)
// arrive through `observe`, which only notes the path: O(1), no I/O.
//
// When a copy is taken (the pre-attack content is what must be kept, and a watcher
// event comes after the write, so a copy at the event would be the attacker's):
// - on discovery: every file in the protected folders when the watcher starts (a
//   restart costs one stat per unchanged file) and every folder that appears;
// - after a quiet period: a file created or changed is copied once it has not
//   changed for `quietMs` (10 minutes by default). Content an attack writes is thus
//   copied at the earliest `quietMs` after the attack began, with a `takenAt` after
//   it, so a restore to the attack's start never picks it, and within that period
//   an attack cannot add versions that push earlier ones out of the budget.
//   The cost: an edit made less than `quietMs` before an attack is not kept.
//
// Bounds: at most `maxPending` files waiting for their quiet period (beyond, the
// oldest is dropped, counted), at most `maxQueue` copies queued (beyond, the quiet
// files wait in `pending` for the next sweep), one copy at a time.
import { sep } from 'node:path';
import type { Logger } from '../../logging/logger';
import type { ProtectedFiles } from './protected-files';
import type { VersionStore } from './version-store';

export interface VersionWatcherOptions {
  store: VersionStore;
  files: ProtectedFiles;
  /** Protected folders (absolute). */
  folders: readonly string[];
  quietMs: number;
  maxPending?: number;
  maxQueue?: number;
  /** Files listed per folder by a discovery scan. */
  maxScanFiles?: number;
  /** How often quiet files are looked for. */
  sweepMs?: number;
  /** The index is written at most this often (and at stop): it is rewritten whole. */
  flushMs?: number;
  now?: () => number;
  logger: Logger;
}

export type ObservedAction = 'create' | 'write' | 'delete' | 'rename';

export interface VersionWatcherStats {
  pending: number;
  queued: number;
  droppedPending: number;
  failed: number;
}

export class VersionWatcher {
  /** Path → last change; Map order is oldest change first (a change re-inserts). */
  private readonly pending = new Map<string, number>();
  /** Files seen created by the watcher and not yet copied, with the time. */
  private readonly created = new Map<string, number>();
  private readonly queue: string[] = [];
  private readonly queued = new Set<string>();
  private readonly prefixes: string[];
  private readonly now: () => number;
  private readonly maxPending: number;
  private readonly maxQueue: number;
  private work: Promise<void> = Promise.resolve();
  private running = false;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private droppedPending = 0;
  private failed = 0;
  private lastFlush = 0;

  constructor(private readonly options: VersionWatcherOptions) {
    this.prefixes = options.folders.map((f) => (f.endsWith(sep) ? f : f + sep));
    this.now = options.now ?? Date.now;
    this.maxPending = options.maxPending ?? 100_000;
    this.maxQueue = options.maxQueue ?? 10_000;
  }

  /** Scans the folders in the background (through the same bounded queue) and starts the sweeps. */
  start(): void {
    this.stopped = false;
    const sweepMs = this.options.sweepMs ?? Math.min(30_000, Math.max(100, this.options.quietMs / 4));
    this.timer = setInterval(() => this.sweep(), sweepMs);
    this.timer.unref?.();
    for (const folder of this.options.folders) void this.discover(folder);
  }

  /** Stops taking copies; waits for the one running and writes the index. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.queue.length = 0;
    this.queued.clear();
    await this.work;
    await this.flush();
  }

  /** A file event from the collector, with its clear path. Cheap and synchronous. */
  observe(action: ObservedAction, path: string, previousPath = ''): void {
    if (action === 'rename' && previousPath) this.forget(previousPath);
    if (!this.isProtected(path)) return;
    if (action === 'delete') return this.forget(path);
    const now = this.now();
    if (action === 'create' || action === 'rename') {
      this.created.delete(path);
      this.created.set(path, now);
      if (this.created.size > this.maxPending) this.created.delete(this.created.keys().next().value!);
    }
    this.pending.delete(path);
    this.pending.set(path, now);
    if (this.pending.size > this.maxPending) {
      this.pending.delete(this.pending.keys().next().value!);
      this.droppedPending += 1;
    }
  }

  /** When the watcher saw `path` created, if it did and has not copied it since. */
  createdAt(path: string): number | null {
    return this.created.get(path) ?? this.options.store.versions.createdAt(path);
  }

  /** Runs `task` between two copies (a restore must not race a copy of the same file). */
  exclusive<T>(task: () => Promise<T>): Promise<T> {
    const result = this.work.then(task);
    this.work = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  /** Queues the files that have been quiet long enough; runs the queue. */
  sweep(): void {
    if (this.stopped) return;
    const quietSince = this.now() - this.options.quietMs;
    for (const [path, changedAt] of this.pending) {
      if (changedAt > quietSince || this.queue.length >= this.maxQueue) break;
      this.pending.delete(path);
      this.enqueue(path);
    }
    this.drain();
    if (this.now() - this.lastFlush >= (this.options.flushMs ?? 5_000)) {
      this.lastFlush = this.now();
      void this.flush();
    }
  }

  /** Waits until the queue is empty (tests and the bench). */
  async idle(): Promise<void> {
    while (this.running || this.queue.length > 0) await this.work;
  }

  stats(): VersionWatcherStats {
    return {
      pending: this.pending.size,
      queued: this.queue.length,
      droppedPending: this.droppedPending,
      failed: this.failed,
    };
  }

  private async discover(folder: string): Promise<void> {
    const found = await this.options.files.list(folder, this.options.maxScanFiles ?? 200_000);
    for (const path of found) {
      // Discovery waits for room rather than dropping: it is the first copy of a file.
      while (this.queue.length >= this.maxQueue && !this.stopped) await this.work;
      if (this.stopped) return;
      this.enqueue(path);
      this.drain();
    }
  }

  private enqueue(path: string): void {
    if (this.queued.has(path)) return;
    this.queued.add(path);
    this.queue.push(path);
  }

  private drain(): void {
    if (this.running || this.queue.length === 0) return;
    this.running = true;
    this.work = this.work.then(async () => {
      while (this.queue.length > 0 && !this.stopped) {
        const path = this.queue.shift()!;
        this.queued.delete(path);
        await this.copy(path);
      }
      this.running = false;
    });
  }

  private async copy(path: string): Promise<void> {
    const createdAt = this.created.get(path) ?? null;
    try {
      const outcome = await this.options.store.snapshot(path, this.options.files, createdAt);
      if (outcome !== 'gone') this.created.delete(path);
    } catch (error) {
      this.failed += 1;
      // No path in the log: it may name a patient.
      if (this.failed === 1 || this.failed % 100 === 0)
        this.options.logger.warn('version copy failed', { failed: this.failed, error: String(error) });
    }
  }

  private async flush(): Promise<void> {
    try {
      await this.options.store.flush();
    } catch (error) {
      this.options.logger.warn('version store index not written', { error: String(error) });
    }
  }

  private forget(path: string): void {
    this.pending.delete(path);
  }

  private isProtected(path: string): boolean {
    for (const prefix of this.prefixes) if (path.startsWith(prefix)) return true;
    return false;
  }
}
