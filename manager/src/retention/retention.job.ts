// Runs retention every configured interval (the first run one interval after the
// manager holds both its ports, see manager.app.ts) until it shuts down. One run
// at a time; a failed run is logged once and the next one tries again.
import { Inject, Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import { MANAGER_CONFIG, type ManagerConfig } from '../config/config.schema';
import { JsonLogger } from '../logging/json-logger';
import { RetentionService } from './retention.service';

@Injectable()
export class RetentionJob implements BeforeApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private readonly log: JsonLogger;

  constructor(
    private readonly retention: RetentionService,
    @Inject(MANAGER_CONFIG) private readonly config: ManagerConfig,
    logger: JsonLogger,
  ) {
    this.log = logger.child('retention');
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick(), this.config.retention.intervalMs);
    this.timer.unref();
  }

  /** One run unless one is under way; resolves when it has finished. */
  tick(): Promise<void> {
    this.running ??= this.retention
      .runOnce()
      .then(
        (run) => {
          if (run.deleted.events + run.deleted.scores + run.deleted.alerts > 0 || !run.complete)
            this.log.info('retention run', { ...run.deleted, complete: run.complete });
        },
        (error: unknown) => this.log.error('retention run failed', { error }),
      )
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
