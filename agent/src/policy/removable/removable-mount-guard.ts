// Removable media `read_only` and `copies_sealed` of a policy tier (Linux):
//  - read_only: every writable mount of a removable volume is remounted read-only
//    (`mount -o remount,ro <mount point>`), now and whenever a new one appears (the mount
//    table is read again every `pollMs`, as the devices collector polls it); the volumes
//    it changed are put back read-write (`remount,rw`) when the tier no longer asks for it.
//  - copies_sealed: the volumes stay writable, and every `sweepMs` the files on them are
//    sealed in place by the FolderSealer (what is copied onto a stick leaves sealed; the
//    manager must unwrap it). A file still being written is left for the next sweep.
// Which mount is removable is the response actions' rule (sysfs flags, injected).
//
// What it made read-only is kept in a RemountRecord (remount-ledger.ts), so a guard started
// after a restart still puts those volumes back read-write when the policy in force no
// longer asks for read_only (at its first `configure`, or `settle` when there is no policy).
//
// Invariants: one pass at a time; a pass of an old mode never runs after a new one was
// configured (a generation number); only a mount this guard made read-only, still of the
// same device and still read-only, is remounted read-write; a volume is recorded before it
// is remounted read-only; counts, never paths, leave it.
import type { FolderSealReport } from '../../protection/sealing/folder-sealer';
import { describeFailure, type CommandRunner } from '../../response/actions/command-runner';
import type { MountEntry } from '../../response/actions/linux/mount-table';
import { MAX_REMOUNTED, type Remounted, type RemountRecord } from './remount-ledger';

export type RemovableGuardMode = 'off' | 'read_only' | 'copies_sealed';

export interface RemovableMountGuardOptions {
  /** The mount table now (/proc/self/mountinfo). */
  mounts: () => MountEntry[];
  isRemovable: (mount: MountEntry) => boolean;
  runner: CommandRunner;
  /** Seals files on the volumes for copies_sealed; null: that mode cannot be enforced here. */
  sealer: { sealFolders(folders: readonly string[], policyVersion: number): Promise<FolderSealReport> } | null;
  /** How often read_only looks for newly mounted volumes. */
  pollMs: number;
  /** How often copies_sealed sweeps the volumes. */
  sweepMs: number;
  /** Where the volumes it made read-only are kept across restarts; null: in memory only. */
  record?: RemountRecord | null;
}

interface Totals {
  readOnly: number;
  sealed: number;
  failed: number;
  lastError: string;
}

const NO_TOTALS: Totals = { readOnly: 0, sealed: 0, failed: 0, lastError: '' };

export class RemovableMountGuard {
  private mode: RemovableGuardMode = 'off';
  private policyVersion = 0;
  private generation = 0;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> = Promise.resolve();
  private remounted: Remounted[];
  private totals: Totals = { ...NO_TOTALS };

  constructor(private readonly options: RemovableMountGuardOptions) {
    this.remounted = options.record?.load() ?? [];
  }

  /** Puts `mode` in force (a first pass now); throws when read_only cannot remount a volume. */
  async configure(mode: RemovableGuardMode, policyVersion: number): Promise<{ detail: string }> {
    if (mode === 'copies_sealed' && !this.options.sealer) throw new Error('no file sealing on this workstation');
    this.stopTimer();
    this.generation += 1;
    await this.running;
    // Not (or no longer) read_only: what this guard made read-only, before a restart too, is writable again.
    const released = mode !== 'read_only' && this.remounted.length > 0 ? await this.release() : 0;
    this.mode = mode;
    this.policyVersion = policyVersion;
    this.totals = { ...NO_TOTALS };
    if (mode === 'off') return { detail: released > 0 ? `${released} volumes writable again` : 'off' };
    await this.pass(this.totals);
    if (mode === 'read_only' && this.totals.failed > 0)
      throw new Error(`removable volumes could not be made read-only: ${this.totals.lastError}`);
    const generation = this.generation;
    this.timer = setInterval(
      () => this.tick(generation),
      mode === 'read_only' ? this.options.pollMs : this.options.sweepMs,
    );
    this.timer.unref();
    return { detail: this.describe() };
  }

  /** How the mode in force stands (new volumes since the apply included). */
  status(): { state: 'applied' | 'failed'; detail: string } | null {
    if (this.mode === 'off') return null;
    return { state: this.totals.failed > 0 ? 'failed' : 'applied', detail: this.describe() };
  }

  /** One pass now, as the timer would (tests; a device event may call it too). */
  checkNow(): Promise<void> {
    this.tick(this.generation);
    return this.running;
  }

  /**
   * At start, when no policy configured the guard: volumes it made read-only before the
   * restart are made writable again (the number released; none while read_only is in force).
   */
  async settle(): Promise<number> {
    await this.running;
    if (this.mode === 'read_only' || this.remounted.length === 0) return 0;
    return this.release();
  }

  async stop(): Promise<void> {
    this.stopTimer();
    this.generation += 1;
    await this.running;
  }

  private tick(generation: number): void {
    if (this.mode === 'off' || generation !== this.generation) return;
    this.running = this.running
      .then(async () => {
        if (generation !== this.generation) return;
        await this.pass(this.totals);
      })
      .catch((error: unknown) => {
        this.totals.failed += 1;
        this.totals.lastError = error instanceof Error ? error.message.slice(0, 120) : 'pass failed';
      });
  }

  private writableRemovable(): MountEntry[] {
    const seen = new Set<string>();
    return this.options.mounts().filter((m) => {
      if (m.readOnly || seen.has(m.mountPoint) || !this.options.isRemovable(m)) return false;
      seen.add(m.mountPoint);
      return true;
    });
  }

  private async pass(totals: Totals): Promise<void> {
    const mounts = this.writableRemovable();
    if (this.mode === 'read_only') {
      for (const m of mounts) {
        const known = this.remounted.some((r) => r.mountPoint === m.mountPoint && r.dev === m.dev);
        if (!known && this.remounted.length >= MAX_REMOUNTED) {
          // Not remounted: one it could not remember would stay read-only for good.
          totals.failed += 1;
          totals.lastError = `more than ${MAX_REMOUNTED} removable volumes`;
          continue;
        }
        // Recorded first: a crash right after the remount still leaves it known.
        if (!known) this.remember([...this.remounted, { mountPoint: m.mountPoint, dev: m.dev }]);
        const result = await this.options.runner.run('mount', ['-o', 'remount,ro', m.mountPoint]);
        if (result.code === 0) {
          totals.readOnly += 1;
        } else {
          if (!known) this.remember(this.remounted.filter((r) => r.mountPoint !== m.mountPoint || r.dev !== m.dev));
          totals.failed += 1;
          totals.lastError = `remount read-only failed: ${describeFailure(result)}`.slice(0, 160);
        }
      }
      return;
    }
    if (this.mode === 'copies_sealed' && this.options.sealer && mounts.length > 0) {
      const report = await this.options.sealer.sealFolders(
        mounts.map((m) => m.mountPoint),
        this.policyVersion,
      );
      totals.sealed += report.sealed.length;
      totals.failed += report.failed.length;
      // Only the kind of error: a path on a stick may name a patient.
      if (report.failed.length > 0) totals.lastError = /^E[A-Z]{2,}/.exec(report.failed[0].error)?.[0] ?? 'seal error';
    }
  }

  /**
   * Remounts read-write the volumes this guard made read-only and that are still as it left
   * them; one that fails stays recorded, to be tried again at the next release.
   */
  private async release(): Promise<number> {
    const current = this.options.mounts();
    let released = 0;
    const kept: Remounted[] = [];
    for (const m of this.remounted) {
      const still = current.some((c) => c.mountPoint === m.mountPoint && c.dev === m.dev && c.readOnly);
      if (!still) continue;
      const result = await this.options.runner.run('mount', ['-o', 'remount,rw', m.mountPoint]);
      if (result.code === 0) released += 1;
      else kept.push(m);
    }
    this.remember(kept);
    return released;
  }

  private remember(remounted: Remounted[]): void {
    this.options.record?.save(remounted);
    this.remounted = remounted;
  }

  private describe(): string {
    const what =
      this.mode === 'read_only'
        ? `${this.totals.readOnly} removable volumes made read-only`
        : `${this.totals.sealed} files on removable volumes sealed`;
    return this.totals.failed > 0 ? `${what}, ${this.totals.failed} failed (${this.totals.lastError})` : what;
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
