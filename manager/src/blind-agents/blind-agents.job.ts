// Runs the blind-agent check every configured interval until the manager shuts
// down (off at 0); see common/interval-job.ts.
import { Inject, Injectable } from '@nestjs/common';
import { IntervalJob } from '../common/interval-job';
import { MANAGER_CONFIG, type ManagerConfig } from '../config/config.schema';
import { JsonLogger } from '../logging/json-logger';
import { BlindAgentsService } from './blind-agents.service';

@Injectable()
export class BlindAgentsJob extends IntervalJob {
  constructor(
    private readonly blind: BlindAgentsService,
    @Inject(MANAGER_CONFIG) private readonly config: Pick<ManagerConfig, 'blindAgents'>,
    logger: JsonLogger,
  ) {
    super(logger.child('blind-agents'), 'blind-agent check failed');
  }

  protected intervalMs(): number {
    return this.config.blindAgents.checkIntervalMs;
  }

  protected async runOnce(): Promise<void> {
    const run = await this.blind.runOnce();
    if (run.raised > 0) this.log.warn('agents whose audit of patient data failed alerted', { alerts: run.raised });
    if (run.ended > 0) this.log.info('agents whose audit works again', { episodes: run.ended });
  }
}
