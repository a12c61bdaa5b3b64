// Starts every collector and keeps them reported as components (`collector.<name>`).
// A collector whose start throws is reported failed with its reason, never stops the
// others, and is tried again after a growing wait (a log made readable, a journal
// that came up later): each try is cheap, and the reason is logged once, not per try.
import { Backoff, type BackoffOptions } from '@wardwatch/shared/agent';
import type { Logger } from '../logging/logger';
import type { HealthReporter } from '../status/component-health';
import type { Collector, EventSink } from './collector';

/** 30 s growing to at most 10 min between tries of a collector that could not start. */
export const COLLECTOR_RETRY: BackoffOptions = { baseMs: 30_000, maxMs: 600_000 };

export interface CollectorSupervisorOptions {
  collectors: Collector[];
  sink: EventSink;
  health: HealthReporter;
  logger: Logger;
  retry?: BackoffOptions;
}

interface Supervised {
  collector: Collector;
  backoff: Backoff;
  timer: NodeJS.Timeout | null;
  /** The start in progress, awaited before a stop. */
  starting: Promise<void> | null;
  lastFailure: string | null;
}

export const componentName = (collector: Collector): string => `collector.${collector.name}`;

export class CollectorSupervisor {
  private readonly supervised: Supervised[];
  private stopped = false;

  constructor(private readonly options: CollectorSupervisorOptions) {
    this.supervised = options.collectors.map((collector) => ({
      collector,
      backoff: new Backoff(options.retry ?? COLLECTOR_RETRY),
      timer: null,
      starting: null,
      lastFailure: null,
    }));
  }

  /** Tries each collector once, in order; resolves when all have either started or failed. */
  async startAll(): Promise<void> {
    for (const s of this.supervised) await this.attempt(s);
  }

  /** Names of the collectors running now. */
  running(): string[] {
    return this.supervised.filter((s) => s.lastFailure === null && s.starting === null).map((s) => s.collector.name);
  }

  async stopAll(): Promise<void> {
    this.stopped = true;
    for (const s of this.supervised) {
      if (s.timer) clearTimeout(s.timer);
      s.timer = null;
      await s.starting;
      await s.collector.stop().catch((error: unknown) =>
        this.options.logger.warn('collector did not stop cleanly', {
          collector: s.collector.name,
          error: message(error),
        }),
      );
      this.options.health.report(componentName(s.collector), 'stopped');
    }
  }

  private attempt(s: Supervised): Promise<void> {
    s.starting = this.start(s).finally(() => (s.starting = null));
    return s.starting;
  }

  private async start(s: Supervised): Promise<void> {
    const { sink, health, logger } = this.options;
    const name = componentName(s.collector);
    try {
      await s.collector.start(sink);
    } catch (error) {
      const reason = message(error);
      // Whatever it opened before it threw is released before the next try.
      await s.collector.stop().catch(() => undefined);
      if (this.stopped) return;
      health.report(name, 'failed', reason);
      const retryInMs = s.backoff.next();
      if (reason !== s.lastFailure)
        logger.error('collector failed to start; the others run, retrying', {
          collector: s.collector.name,
          error: reason,
          retryInMs,
        });
      s.lastFailure = reason;
      s.timer = setTimeout(() => {
        s.timer = null;
        void this.attempt(s);
      }, retryInMs);
      s.timer.unref();
      return;
    }
    if (s.lastFailure !== null)
      logger.info('collector started after failing', { collector: s.collector.name, attempts: s.backoff.attempts + 1 });
    s.lastFailure = null;
    s.backoff.reset();
    health.report(name, 'running');
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
