// Runs the silent-agent check every configured interval until the manager shuts
// down (off when the silence limit is 0); see common/interval-job.ts.
import { Inject, Injectable } from '@nestjs/common';
import { IntervalJob } from '../common/interval-job';
import { MANAGER_CONFIG, type ManagerConfig } from '../config/config.schema';
import { JsonLogger } from '../logging/json-logger';
import { SilentAgentsService } from './silent-agents.service';

@Injectable()
export class SilentAgentsJob extends IntervalJob {
  constructor(
    private readonly silence: SilentAgentsService,
    @Inject(MANAGER_CONFIG) private readonly config: Pick<ManagerConfig, 'silentAgents'>,
    logger: JsonLogger,
  ) {
    super(logger.child('silent-agents'), 'silent-agent check failed');
  }

  protected intervalMs(): number {
    return this.config.silentAgents.afterMs === 0 ? 0 : this.config.silentAgents.checkIntervalMs;
  }

  protected async runOnce(): Promise<void> {
    const run = await this.silence.runOnce();
    if (run.raised > 0) this.log.warn('silent agents alerted', { alerts: run.raised });
    if (run.ended > 0) this.log.info('silent agents heard from again', { episodes: run.ended });
  }
}
