// A task run every interval (started once the manager holds both its ports, see
// manager.app.ts) until the manager shuts down. One run at a time: a tick while a run
// is under way joins it. A failed run is logged once and the next tick tries again.
import type { BeforeApplicationShutdown } from '@nestjs/common';
import type { JsonLogger } from '../logging/json-logger';

export abstract class IntervalJob implements BeforeApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  protected constructor(
    protected readonly log: JsonLogger,
    private readonly failure: string,
  ) {}

  /** Time between runs; 0 turns the job off. */
  protected abstract intervalMs(): number;
  /** One run, logging what it did. */
  protected abstract runOnce(): Promise<void>;

  start(): void {
    const interval = this.intervalMs();
    if (this.timer || interval === 0) return;
    this.timer = setInterval(() => void this.tick(), interval);
    this.timer.unref();
  }

  /** One run unless one is under way; resolves when it has finished. */
  tick(): Promise<void> {
    this.running ??= this.runOnce()
      .catch((error: unknown) => this.log.error(this.failure, { error }))
      .finally(() => (this.running = undefined));
    return this.running;
  }

  /** Before the database closes: no new run, and the one under way finishes. */
  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
