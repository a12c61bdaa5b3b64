// How a score the scorer made leaves for the manager. It is pseudonymised first; in OPRF mode
// a score naming a value without its token yet waits for it (its tokens are asked before events'
// values; at most MAX_WAITING scores wait). A
// score of a critical rule waits at most CRITICAL_TOKEN_WAIT_MS — a response (kill, block) may
// hang on it — then leaves with the missing tokens left empty (never the clear values: the
// Pseudonymizer answers '' for a value without a token), counted and logged; it leaves at once,
// not in a batch, naming the processes writing in the folders of the hit's class.
import type { Score } from '@wardwatch/proto';
import type { Logger } from '../../logging/logger';
import { TokensNotReady } from '../../pseudonymize/pseudonymizer';
import type { ScoreResult } from '../model/risk-model';
import type { PseudonymSource } from './reason-text';
import type { ScoreChannel } from './score-channel';
import { SuspectSearch } from './suspect-search';

/** Scores waiting for pseudonym tokens (OPRF mode, manager unreachable); beyond this they are not sent. */
const MAX_WAITING = 2_000;
/** How long a critical score waits for its tokens before it leaves with the missing ones empty. */
export const CRITICAL_TOKEN_WAIT_MS = 2_000;
/** A reason whose every word was a value without its token yet (the manager wants a text). */
const REASON_WITHOUT_TOKENS = '(values not pseudonymised in time: see the workstation)';

/** What the sender counts, in the live scoring's stats. */
export interface SentCounts {
  scored: number;
  alerts: number;
  notScored: number;
  /** Critical scores sent after CRITICAL_TOKEN_WAIT_MS with tokens still missing (left empty). */
  sentWithoutTokens: number;
}

export interface ScoreSenderOptions {
  pseudonyms: PseudonymSource;
  channel: ScoreChannel;
  /** Names the writing processes in a critical score; none without it. */
  suspects: SuspectSearch | null;
  log: Logger;
  counts: SentCounts;
  /** Aborted at stop: scores still waiting are kept on disk by the caller instead. */
  stopping: AbortSignal;
  /** False once scoring has stopped: a score whose tokens come then is not sent. */
  running: () => boolean;
  failed: (msg: string, error: unknown) => void;
}

export class ScoreSender {
  /** Rules of critical severity: a score they raise leaves at once, with suspects. */
  criticalRules: ReadonlySet<string> = new Set();
  /** Scores waiting for their tokens (OPRF mode). */
  readonly waiting = new Set<ScoreResult>();

  constructor(private readonly options: ScoreSenderOptions) {}

  /** Sends each result as the Score `build` makes of it, once its tokens are there. */
  publish(results: ScoreResult[], build: (result: ScoreResult) => Score): void {
    const { pseudonyms, stopping } = this.options;
    for (const result of results) {
      const make = () => build(result);
      const timeoutMs = this.isCritical(result) ? CRITICAL_TOKEN_WAIT_MS : undefined;
      const made = pseudonyms.complete ? pseudonyms.complete(make, { signal: stopping, timeoutMs }) : { now: make() };
      if ('now' in made) this.send(made.now, result);
      else this.sendLater(made.later, result, timeoutMs === undefined ? undefined : make);
    }
  }

  private isCritical(result: ScoreResult): boolean {
    return result.partial === true && result.ruleIds.some((id) => this.criticalRules.has(id));
  }

  /** `build` (critical scores): run once more after the bound, the tokens still missing left ''. */
  private sendLater(later: Promise<Score>, result: ScoreResult, build?: () => Score): void {
    const { counts, stopping } = this.options;
    if (this.waiting.size >= MAX_WAITING) {
      counts.notScored += 1;
      void later.catch(() => undefined);
      return;
    }
    this.waiting.add(result);
    void later.then(
      (score) => {
        this.waiting.delete(result);
        if (this.options.running()) this.send(score, result);
      },
      (error: unknown) => {
        if (stopping.aborted) return; // kept on disk at stop
        this.waiting.delete(result);
        if (build && error instanceof TokensNotReady) {
          try {
            return this.sendWithoutTokens(build(), result);
          } catch (failure) {
            error = failure;
          }
        }
        counts.notScored += 1;
        this.options.failed('a score waiting for pseudonym tokens was not sent', error);
      },
    );
  }

  private sendWithoutTokens(score: Score, result: ScoreResult): void {
    const { counts } = this.options;
    for (const reason of score.reasons) if (reason.text.trim() === '') reason.text = REASON_WITHOUT_TOKENS;
    counts.sentWithoutTokens += 1;
    this.options.log.warn('critical score sent without all its pseudonym tokens (manager slow or unreachable)', {
      rules: score.ruleIds,
      waitedMs: CRITICAL_TOKEN_WAIT_MS,
      userKnown: score.user !== '',
      sentWithoutTokens: counts.sentWithoutTokens,
    });
    this.send(score, result);
  }

  private send(score: Score, result: ScoreResult): void {
    const { counts } = this.options;
    counts.scored += 1;
    if (result.alert) {
      counts.alerts += 1;
      this.options.log.info('risk score above threshold', {
        user: score.user,
        score: score.score,
        rules: score.ruleIds,
        partial: score.partial,
      });
    }
    if (this.isCritical(result)) this.sendCritical(score, result);
    else this.options.channel.send(score);
  }

  /**
   * A score raised by a critical rule leaves without waiting for a batch: a response (a process
   * tree killed) may hang on it. With a process finder the writers in the folders of the hit's
   * class are named first (a few tens of ms).
   */
  private sendCritical(score: Score, result: ScoreResult): void {
    const { channel, log, suspects: search } = this.options;
    if (!search) {
      channel.sendNow(score);
      log.info('critical rule hit: score sent at once', { rules: score.ruleIds, suspects: 0 });
      return;
    }
    void search
      .find(SuspectSearch.folderClassOf(result, this.criticalRules))
      .then(
        (suspects) => {
          score.suspects = suspects;
          // Pids are the workstation's own facts; the executables are already pseudonymised.
          log.info('critical rule hit: score sent at once', {
            rules: score.ruleIds,
            suspects: suspects.length,
            pids: suspects.map((p) => p.pid),
            searchMs: Math.round(search.lastSearchMs),
          });
        },
        (error: unknown) =>
          this.options.failed('finding the writing processes failed; score sent without suspects', error),
      )
      .finally(() => channel.sendNow(score));
  }
}
