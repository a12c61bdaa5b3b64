// Asks the manager for the values the cache wants, a batch at a time, shortly after the
// first one is wanted (so one event's values, and a burst's, travel together). Events'
// values gather for `gatherMs` (100 ms, the session's own flush delay: a held-back event
// loses little, and at 50 new addresses a second one call carries ~5 values instead of
// one call each, ~0.2 ms of gRPC apiece); urgent values only for `urgentGatherMs`. When the
// manager cannot be reached or refuses, it retries with the shared backoff; the events
// waiting for those values stay in the pending queue meanwhile. After each batch that
// arrives, `onTokens` runs (the pipeline releases what it can) and the cache is saved.
// Urgent values (a score's, a command's: oprf-tokens.ts) do not wait out a backoff earned
// by events' values: a new urgent value, or an urgent value left after a failed call of
// events' values, is asked at once — at most once per `urgentRetryMs`, so a manager that
// is down is not hammered.
import { Backoff } from '@wardwatch/shared/agent';
import type { Logger } from '../../logging/logger';
import type { OprfEvaluator, OprfTokens } from './oprf-tokens';

export interface TokenFetcherDeps {
  tokens: OprfTokens;
  evaluator: OprfEvaluator;
  logger: Logger;
  onTokens(): void;
  /** Gathering time before a call for events' values, ms. */
  gatherMs?: number;
  /** Gathering time before a call for urgent values, ms. */
  urgentGatherMs?: number;
  backoff?: Backoff;
  /** Urgent values skip the backoff at most this often, ms. */
  urgentRetryMs?: number;
  now?: () => number;
}

export class TokenFetcher {
  private timer: NodeJS.Timeout | undefined;
  /** When the scheduled call is due (valid while `timer` is set). */
  private dueAt = 0;
  /** When a call last carried urgent values. */
  private lastUrgentAt = -Infinity;
  private running = false;
  private stopped = false;
  private readonly backoff: Backoff;
  private failures = 0;

  constructor(private readonly deps: TokenFetcherDeps) {
    this.backoff = deps.backoff ?? new Backoff({ baseMs: 500, maxMs: 30_000 });
    deps.tokens.onWanted = (urgent) => (urgent ? this.hurry() : this.schedule(this.gatherMs));
  }

  private get gatherMs(): number {
    return this.deps.gatherMs ?? 100;
  }

  private get urgentGatherMs(): number {
    return this.deps.urgentGatherMs ?? 20;
  }

  private now(): number {
    return (this.deps.now ?? Date.now)();
  }

  /** Urgent values wait: call soon even during a backoff (a call in flight picks them up next). */
  private hurry(): void {
    if (this.stopped || this.running) return;
    const at = Math.max(this.now() + this.urgentGatherMs, this.lastUrgentAt + (this.deps.urgentRetryMs ?? 1_000));
    if (this.timer && this.dueAt <= at) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.schedule(at - this.now());
  }

  get failedCalls(): number {
    return this.failures;
  }

  /** Starts asking for what is already wanted (values of events restored at start). */
  start(): void {
    if (this.deps.tokens.pending > 0) this.schedule(0);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(delayMs: number): void {
    if (this.stopped || this.timer || this.running) return;
    this.dueAt = this.now() + delayMs;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.run();
    }, delayMs);
    this.timer.unref();
  }

  private async run(): Promise<void> {
    this.running = true;
    let retryIn = 0;
    try {
      while (!this.stopped && this.deps.tokens.pending > 0) {
        if (this.deps.tokens.pendingUrgent > 0) this.lastUrgentAt = this.now();
        await this.deps.tokens.fetch(this.deps.evaluator);
        this.backoff.reset();
        this.deps.onTokens();
      }
    } catch (error) {
      this.failures += 1;
      retryIn = this.backoff.next();
      // The first failure and every 10th: an offline day must not flood the log.
      if (this.failures === 1 || this.failures % 10 === 0)
        this.deps.logger.warn('pseudonym tokens not fetched; events wait', {
          error,
          waiting: this.deps.tokens.pending,
          failures: this.failures,
        });
    } finally {
      this.running = false;
    }
    if (retryIn > 0) {
      this.schedule(retryIn);
      // Urgent values that came during a failed call of events' values do not wait the backoff out.
      if (this.deps.tokens.pendingUrgent > 0) this.hurry();
    } else if (this.deps.tokens.pending > 0) this.schedule(0);
  }
}
