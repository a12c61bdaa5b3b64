// Who to name in a score raised by a critical rule hit (Score.suspects): the
// processes writing now in the folders of the class the hit is about, from the
// ProcessFinder (response/process-finder), executables pseudonymised like paths
// (system software stays in clear: it is the evidence, not a person). One search
// at a time: a burst that keeps hitting waits for the search under way.
import type { SuspectProcess } from '@wardwatch/proto';
import type { ProcessFinder } from '../../response/actions/response-actions';
import { provenWriters } from '../../response/process-finder/proven-writers';
import type { Reason, ScoreResult } from '../model/risk-model';
import type { PseudonymSource } from './reason-text';

/** How long a critical score waits for the tokens of its suspects' executables (OPRF mode). */
export const SUSPECT_TOKEN_WAIT_MS = 5_000;

export interface SuspectSearchOptions {
  finder: ProcessFinder;
  /** The watched folders of a folder class (every watched folder when the class is unknown). */
  foldersOf(folderClass: string | undefined): string[];
  pseudonyms: PseudonymSource;
  /** At most this many named per score (the proto's list is bounded by the manager too). */
  maxSuspects?: number;
}

export class SuspectSearch {
  private running: Promise<unknown> = Promise.resolve();
  /** Duration of the last search, in ms. */
  lastSearchMs = 0;

  constructor(private readonly options: SuspectSearchOptions) {}

  /** The folder class a score's rule reason is about ('' fields count as unknown). */
  static folderClassOf(result: ScoreResult, ruleIds: ReadonlySet<string>): string | undefined {
    const reason: Reason | undefined = result.reasons.find((r) => r.ruleId && ruleIds.has(r.ruleId));
    return reason?.fields?.folderClass || undefined;
  }

  find(folderClass: string | undefined): Promise<SuspectProcess[]> {
    const next = this.running.then(() => this.search(folderClass));
    this.running = next.catch(() => undefined);
    return next;
  }

  private async search(folderClass: string | undefined): Promise<SuspectProcess[]> {
    const started = performance.now();
    try {
      const folders = this.options.foldersOf(folderClass);
      if (folders.length === 0) return [];
      const found = await this.options.finder.writersIn(folders);
      // A playbook may kill the suspects: only proven writers are named, never a guess.
      const writers = provenWriters(found).slice(0, this.options.maxSuspects ?? 8);
      const pseudonyms = this.options.pseudonyms;
      const named = () =>
        writers.map((p) => ({
          pid: p.pid,
          startTime: p.startTime,
          executable: p.executable ? pseudonyms.path(p.executable) : '',
        }));
      if (!pseudonyms.complete) return named();
      // OPRF mode: a critical score must not wait long; an executable whose token is late is
      // left unnamed ('' — never in clear) and the pid still names the process.
      const made = pseudonyms.complete(named, { timeoutMs: SUSPECT_TOKEN_WAIT_MS });
      return 'now' in made ? made.now : await made.later.catch(named);
    } finally {
      this.lastSearchMs = performance.now() - started;
    }
  }
}
