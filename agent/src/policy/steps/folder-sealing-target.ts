// Puts a tier's sealing in force with protection/sealing/'s FolderSealer: at configure, the
// folders are swept once (what is there now is sealed before the policy counts as applied;
// no KEK means the step throws and the whole policy is rolled back), then a sweep every
// `sweepMs` seals the files that arrived since. A file changed within the last `settleMs`
// is left for the next sweep: it may still be being written (a scan, a download).
//
// A tier that drops with `unsealOnDrop` opens again (FolderUnsealer, each file unwrapped and
// audited by the manager) the sealed files of the folders the previous tier sealed and this
// one does not; what fails (the manager out of reach) stays sealed and is retried each sweep.
//
// Invariants: one sweep at a time; a sweep of old settings never runs after new ones were
// configured (a generation number); the counts reported are those of the settings in force;
// a folder the new tier still seals (or one under it) is never unsealed.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, sep } from 'node:path';
import { BULK_UNSEAL_REASON, type PolicySettingState, type SealingSettings } from '@wardwatch/shared/agent';
import type { FolderSealReport } from '../../protection/sealing/folder-sealer';
import type { FolderUnsealReport } from '../../protection/sealing/folder-unsealer';
import type { SealingTarget } from './sealing-target';

export interface FolderSealingOptions {
  sealer: { sealFolders(folders: readonly string[], policyVersion: number): Promise<FolderSealReport> };
  /** The bulk unseal of a tier drop; without it `unsealOnDrop` is reported as not possible here. */
  unsealer?: {
    unsealFolders(folders: readonly string[], reason: string, kept?: readonly string[]): Promise<FolderUnsealReport>;
  };
  /** What `~/` in a policy folder names. */
  home?: string;
  sweepMs: number;
  /** Told about each sweep that sealed or failed something (the agent logs it). */
  onSweep?: (report: FolderSealReport) => void;
}

interface Totals {
  sealed: number;
  failed: number;
  lastErrors: string[];
  absent: number;
  unsealed: number;
  unsealFailed: number;
}

/** Folders of a dropped tier still to open again, and the reason the manager audits. */
interface PendingUnseal {
  folders: string[];
  /** Folders the tier in force seals: never entered, even when under a dropped one. */
  kept: string[];
  reason: string;
}

const NO_TOTALS: Totals = { sealed: 0, failed: 0, lastErrors: [], absent: 0, unsealed: 0, unsealFailed: 0 };

export class FolderSealingTarget implements SealingTarget {
  private settings: SealingSettings | null = null;
  private policyVersion = 0;
  private generation = 0;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> = Promise.resolve();
  private totals: Totals = { ...NO_TOTALS };
  private pending: PendingUnseal | null = null;

  constructor(private readonly options: FolderSealingOptions) {}

  async configure(settings: SealingSettings, policyVersion: number): Promise<{ detail: string; unsealed?: number }> {
    this.stopTimer();
    this.generation += 1;
    await this.running;
    const generation = this.generation;
    const totals: Totals = { ...NO_TOTALS, lastErrors: [] };
    // Throws (no KEK, nothing could start): nothing is kept, the policy is rolled back.
    if (settings.enabled) await this.sweep(settings, policyVersion, totals);
    const pending = this.droppedFolders(this.settings, settings, policyVersion);
    this.settings = settings;
    this.policyVersion = policyVersion;
    this.totals = totals;
    this.pending = pending;
    if (pending) await this.unseal(totals);
    if (settings.enabled || this.pending) {
      this.timer = setInterval(() => this.tick(generation), this.options.sweepMs);
      this.timer.unref();
    }
    if (!settings.enabled && !pending) return { detail: 'sealing off' };
    return { detail: describe(totals, settings.enabled), ...(pending ? { unsealed: totals.unsealed } : {}) };
  }

  status(): Omit<PolicySettingState, 'name'> | null {
    if (!this.settings) return null;
    if (!this.settings.enabled && this.totals.unsealed + this.totals.unsealFailed === 0)
      return { state: 'not_applicable', detail: 'sealing is off in this tier' };
    if (!this.settings.enabled)
      return {
        state: this.totals.unsealFailed > 0 ? 'failed' : 'applied',
        detail: `sealing is off in this tier; ${describe(this.totals, false)}`.slice(0, 300),
      };
    const detail = `${this.settings.folders.length} folders: ${describe(this.totals)}`;
    return { state: this.totals.failed + this.totals.unsealFailed > 0 ? 'failed' : 'applied', detail };
  }

  /** The folders the tier in force names, `~/` resolved (sealing on or off: what an open is checked against). */
  folders(): string[] {
    return (this.settings?.folders ?? []).map((f) => this.resolve(f));
  }

  /** Resolves when the sweep under way (if any) has finished (tests, shutdown). */
  idle(): Promise<void> {
    return this.running;
  }

  /** Sweeps now, as the timer would (tests; a file event may call it too). */
  sweepNow(): Promise<void> {
    this.tick(this.generation);
    return this.running;
  }

  async stop(): Promise<void> {
    this.stopTimer();
    this.generation += 1;
    await this.running;
  }

  private tick(generation: number): void {
    const settings = this.settings;
    if (!settings || (!settings.enabled && !this.pending) || generation !== this.generation) return;
    this.running = this.running
      .then(async () => {
        if (generation !== this.generation) return;
        const totals = { ...this.totals, lastErrors: [...this.totals.lastErrors] };
        if (settings.enabled) await this.sweep(settings, this.policyVersion, totals);
        if (this.pending && generation === this.generation) await this.unseal(totals);
        if (generation === this.generation) this.totals = totals;
      })
      .catch((error: unknown) => {
        // A sweep that cannot start (the KEK file gone) is counted; the next one tries again.
        this.totals.failed += 1;
        this.totals.lastErrors = [`sweep: ${errorCode(error instanceof Error ? error.message : '')}`];
      });
  }

  private async sweep(settings: SealingSettings, policyVersion: number, totals: Totals): Promise<void> {
    const folders = settings.folders.map((f) => this.resolve(f));
    const present = folders.filter((f) => existsSync(f));
    totals.absent = folders.length - present.length;
    if (present.length === 0) return;
    const report = await this.options.sealer.sealFolders(present, policyVersion);
    totals.sealed += report.sealed.length;
    totals.failed += report.failed.length;
    if (report.failed.length > 0)
      totals.lastErrors = [...new Set(report.failed.map((f) => errorCode(f.error)))].slice(0, 3);
    if (report.sealed.length > 0 || report.failed.length > 0) this.options.onSweep?.(report);
  }

  /**
   * The previous tier's sealed folders this tier leaves unsealed, when it asks for them to be
   * opened again (null: nothing to do). Folders the new tier seals, and any under them, stay.
   */
  private droppedFolders(
    previous: SealingSettings | null,
    next: SealingSettings,
    policyVersion: number,
  ): PendingUnseal | null {
    if (!next.unsealOnDrop || !previous?.enabled) return null;
    const kept = next.enabled ? next.folders.map((f) => this.resolve(f)) : [];
    const folders = previous.folders
      .map((f) => this.resolve(f))
      .filter((f) => !kept.some((k) => f === k || f.startsWith(k.endsWith(sep) ? k : `${k}${sep}`)));
    if (folders.length === 0) return null;
    return { folders, kept, reason: `${BULK_UNSEAL_REASON} the tier dropped (policy version ${policyVersion})` };
  }

  /** Opens the pending folders' sealed files again; what failed stays pending for the next sweep. */
  private async unseal(totals: Totals): Promise<void> {
    const pending = this.pending;
    if (!pending) return;
    const unsealer = this.options.unsealer;
    if (!unsealer) {
      totals.unsealFailed += 1;
      totals.lastErrors = ['no bulk unseal on this workstation'];
      return;
    }
    const present = pending.folders.filter((f) => existsSync(f));
    const report = await unsealer.unsealFolders(present, pending.reason, pending.kept);
    totals.unsealed += report.unsealed;
    totals.unsealFailed = report.failed.length;
    if (report.failed.length > 0)
      totals.lastErrors = [...new Set(report.failed.map((f) => errorCode(f.error)))].slice(0, 3);
    if (report.failed.length === 0 && !report.truncated) this.pending = null;
  }

  private resolve(folder: string): string {
    return folder.startsWith('~/') ? join(this.options.home ?? homedir(), folder.slice(2)) : folder;
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}

/** Only the kind of error leaves the workstation: a path may name a patient. */
function errorCode(message: string): string {
  return /^E[A-Z]{2,}/.exec(message)?.[0] ?? 'seal error';
}

function describe(totals: Totals, sealing = true): string {
  const parts = sealing ? [`${totals.sealed} files sealed`] : [];
  if (totals.failed > 0) parts.push(`${totals.failed} failed (${totals.lastErrors.join('; ')})`);
  if (totals.absent > 0) parts.push(`${totals.absent} folders absent`);
  if (totals.unsealed > 0 || totals.unsealFailed > 0) {
    const failed =
      totals.unsealFailed > 0 ? `, ${totals.unsealFailed} still sealed (${totals.lastErrors.join('; ')})` : '';
    parts.push(`bulk unseal: ${totals.unsealed} files unsealed${failed}`);
  }
  return parts.join(', ');
}
