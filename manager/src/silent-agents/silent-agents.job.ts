// Runs the silent-agent check every configured interval (started once the manager
// holds both its ports, see manager.app.ts) until it shuts down. One run at a time;
// a failed run is logged once and the next one tries again.
import { Inject, Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import { MANAGER_CONFIG, type ManagerConfig } from '../config/config.schema';
import { JsonLogger } from '../logging/json-logger';
import { SilentAgentsService } from './silent-agents.service';

@Injectable()
export class SilentAgentsJob implements BeforeApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private readonly log: JsonLogger;

  constructor(
    private readonly silence: SilentAgentsService,
    @Inject(MANAGER_CONFIG) private readonly config: Pick<ManagerConfig, 'silentAgents'>,
    logger: JsonLogger,
  ) {
    this.log = logger.child('silent-agents');
  }

  start(): void {
    if (this.timer || this.config.silentAgents.afterMs === 0) return;
    this.timer = setInterval(() => void this.tick(), this.config.silentAgents.checkIntervalMs);
    this.timer.unref();
  }

  /** One run unless one is under way; resolves when it has finished. */
  tick(): Promise<void> {
    this.running ??= this.silence
      .runOnce()
      .then(
        (run) => {
          if (run.raised > 0) this.log.warn('silent agents alerted', { alerts: run.raised });
          if (run.ended > 0) this.log.info('silent agents heard from again', { episodes: run.ended });
        },
        (error: unknown) => this.log.error('silent-agent check failed', { error }),
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
