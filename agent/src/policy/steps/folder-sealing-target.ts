// Puts a tier's sealing in force with protection/sealing/'s FolderSealer: at configure, the
// folders are swept once (what is there now is sealed before the policy counts as applied;
// no KEK means the step throws and the whole policy is rolled back), then a sweep every
// `sweepMs` seals the files that arrived since. A file changed within the last `settleMs`
// is left for the next sweep: it may still be being written (a scan, a download).
//
// Invariants: one sweep at a time; a sweep of old settings never runs after new ones were
// configured (a generation number); the counts reported are those of the settings in force.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { PolicySettingState, SealingSettings } from '@wardwatch/shared';
import type { FolderSealReport } from '../../protection/sealing/folder-sealer';
import type { SealingTarget } from './sealing-target';

export interface FolderSealingOptions {
  sealer: { sealFolders(folders: readonly string[], policyVersion: number): Promise<FolderSealReport> };
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
}

export class FolderSealingTarget implements SealingTarget {
  private settings: SealingSettings | null = null;
  private policyVersion = 0;
  private generation = 0;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> = Promise.resolve();
  private totals: Totals = { sealed: 0, failed: 0, lastErrors: [], absent: 0 };

  constructor(private readonly options: FolderSealingOptions) {}

  async configure(settings: SealingSettings, policyVersion: number): Promise<{ detail: string }> {
    this.stopTimer();
    this.generation += 1;
    await this.running;
    if (!settings.enabled) {
      this.settings = settings;
      return { detail: 'sealing off' };
    }
    const generation = this.generation;
    const totals: Totals = { sealed: 0, failed: 0, lastErrors: [], absent: 0 };
    // Throws (no KEK, nothing could start): nothing is kept, the policy is rolled back.
    await this.sweep(settings, policyVersion, totals);
    this.settings = settings;
    this.policyVersion = policyVersion;
    this.totals = totals;
    this.timer = setInterval(() => this.tick(generation), this.options.sweepMs);
    this.timer.unref();
    return { detail: describe(totals) };
  }

  status(): Omit<PolicySettingState, 'name'> | null {
    if (!this.settings) return null;
    if (!this.settings.enabled) return { state: 'not_applicable', detail: 'sealing is off in this tier' };
    const detail = `${this.settings.folders.length} folders: ${describe(this.totals)}`;
    return { state: this.totals.failed > 0 ? 'failed' : 'applied', detail };
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
    if (!settings?.enabled || generation !== this.generation) return;
    this.running = this.running
      .then(async () => {
        if (generation !== this.generation) return;
        const totals = { ...this.totals, lastErrors: [...this.totals.lastErrors] };
        await this.sweep(settings, this.policyVersion, totals);
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

function describe(totals: Totals): string {
  const parts = [`${totals.sealed} files sealed`];
  if (totals.failed > 0) parts.push(`${totals.failed} failed (${totals.lastErrors.join('; ')})`);
  if (totals.absent > 0) parts.push(`${totals.absent} folders absent`);
  return parts.join(', ');
}
